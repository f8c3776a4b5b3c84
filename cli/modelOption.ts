import type { LayeredModel } from '../plugins/learning/model.ts';
import type { ModelMeta } from '../plugins/learning/modelFile.ts';
import { UsageError } from './io.ts';

/**
 * `--model <file>` of evaluate, export config and plot: the model file written by `train`, or a usage error
 * naming the flag (a file that is not a model, or one that cannot be read). Loaded lazily, so commands that
 * do not take a model do not pay for the learning plugin at start-up.
 */
export async function loadModelOption(path: string): Promise<{ model: LayeredModel; meta: ModelMeta }> {
  const { loadModel } = await import('../plugins/learning/modelFile.ts');
  const { ConfigError } = await import('../core/config/configError.ts');
  try {
    return await loadModel(path);
  } catch (error) {
    if (error instanceof ConfigError) {
      // a document of another kind (fails at its root) is told what was expected; a model with one bad value is not
      const hint = error.path === '/' ? " (expected a model file written by 'firstspike train')" : '';
      throw new UsageError(`--model '${path}': ${error.message}${hint}`);
    }
    if (error instanceof Error && 'code' in error) throw new UsageError(`--model '${path}': cannot read (${String(error.code)})`);
    throw error;
  }
}
