// Shield tests from the developer's own settings: no .env is loaded by tests,
// and logs stay quiet unless a test captures them itself.
for (const name of Object.keys(process.env)) {
  if (/^(TELEGRAM_|LLM_|ADMIN_USER_IDS$|REPORTS_DIR$|INDEX_DIR$|MODEL_DIR$|EMBEDDER$|EMBEDDING_MODEL$|METRICS_PORT$|INDEX_CHECK_SECONDS$)/.test(name)) {
    delete process.env[name];
  }
}
process.env.LOG_LEVEL = 'silent';
