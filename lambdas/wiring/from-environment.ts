import type { Context } from 'aws-lambda';
import { type Config, readConfig } from './config';

type Handler<E, R> = (event: E, context: Context) => Promise<R>;

/**
 * The deployed function's handler: built on the first invocation from this process's environment,
 * validated (a bad setting fails that invocation with a message naming it), then reused by every
 * later one, with the AWS clients `build` made (module scope, STYLE 2). The one place under
 * lambdas/ that reads the environment; `local/` and the tests build handlers from their own Config.
 */
export function handlerFromEnvironment<E, R>(
  build: (config: Config, env: NodeJS.ProcessEnv) => Handler<E, R> | Promise<Handler<E, R>>,
): Handler<E, R> {
  let built: Promise<Handler<E, R>> | undefined;
  return async (event, context) => {
    built ??= Promise.resolve()
      .then(() => build(readConfig(process.env), process.env))
      .catch((error: unknown) => {
        built = undefined; // a secret that could not be read is tried again on the next invocation
        throw error;
      });
    return (await built)(event, context);
  };
}
