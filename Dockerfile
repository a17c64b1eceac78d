# report-qa Telegram bot. Build: docker build -t report-qa .
# Run:   docker run -d --name report-qa --env-file .env \
#          -v report-qa-index:/data/index -v "$PWD/reports:/data/reports" report-qa
# The image holds the code only; the index and the reports live in the two volumes.

# Build stage: nodejieba and hnswlib-node compile from source, which needs python3, make and g++.
FROM node:20-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --no-audit --no-fund

# Runtime stage: no compilers, runs as the unprivileged `node` user.
FROM node:20-slim
ENV NODE_ENV=production \
    INDEX_DIR=/data/index \
    REPORTS_DIR=/data/reports
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY package.json ./
COPY bin ./bin
COPY src ./src
COPY prompts ./prompts
# The shipped sample reports, so a first run without a reports volume still answers something.
COPY seeds /data/reports
RUN mkdir -p /data/index && chown -R node:node /data
USER node
VOLUME ["/data/index", "/data/reports"]
# Exec form, no shell: node is PID 1, so `docker stop`'s SIGTERM reaches the bot, which shuts down cleanly.
STOPSIGNAL SIGTERM
CMD ["node", "bin/report-qa.js", "bot"]
