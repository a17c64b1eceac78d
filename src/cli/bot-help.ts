/** `report-qa bot --help`, after the options; apart from bot-command.ts so that the help and the other commands never load grammY and the bot. */
export const BOT_HELP = `
Long polling needs no inbound port. Webhook mode (--webhook or TELEGRAM_WEBHOOK_URL) serves
plain HTTP on WEBHOOK_HOST:WEBHOOK_PORT (default 127.0.0.1:8080) behind a reverse proxy that
terminates TLS; the public URL must be https:// on port 443, 80, 88 or 8443.
  TELEGRAM_WEBHOOK_URL   public URL Telegram posts updates to; its path is the one served
  WEBHOOK_HOST           address to listen on (0.0.0.0 in a container)     default 127.0.0.1
  WEBHOOK_PORT           port to listen on (the proxy's upstream)           default 8080
  WEBHOOK_SECRET         X-Telegram-Bot-Api-Secret-Token, 16-256 of A-Z a-z 0-9 _ -
                         default: a random one per start (registered by setWebhook)
  WEBHOOK_MAX_PENDING    updates acknowledged but not yet answered; beyond it
                         requests get 503 and Telegram retries them later   default 1000
Starting registers the webhook with setWebhook; starting without one goes back to polling
(deleteWebhook). Updates that arrive while the bot is down wait at Telegram either way.

Examples:
  report-qa bot
  report-qa bot --webhook https://bot.example.org/telegram
`;
