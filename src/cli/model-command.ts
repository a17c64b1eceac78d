import type { Config } from '../config.js';
import { downloadModel } from '../embed/download-model.js';
import type { Logger } from '../log.js';
import type { CommandIo } from './command-context.js';

/**
 * `report-qa model download`: the only command that fetches anything. It puts
 * EMBEDDING_MODEL's files into MODEL_DIR, where EMBEDDER=auto then finds them.
 */
export async function modelDownloadCommand(config: Config, logger: Logger, io: CommandIo): Promise<number> {
  io.err(`Downloading ${config.embeddingModel} into ${config.modelDir} …\n`);
  const seen = new Set<string>();
  const { files } = await downloadModel(config, {
    logger,
    onProgress: ({ file }) => {
      if (!seen.has(file)) io.err(`  fetching ${file}\n`);
      seen.add(file);
    },
  });
  io.out(`Model ${config.embeddingModel} ready in ${config.modelDir} (${files.length} files). Run \`report-qa index\` to re-embed the reports with it.\n`);
  return 0;
}
