/**
 * Flag parsing for the repository's npm scripts (dev, token): node:util parseArgs, strict, but a bad flag is one
 * line plus the usage and exit 2 instead of Node's TypeError stack.
 */
import { parseArgs } from 'node:util';

/**
 * @param {string} name     script name for messages, e.g. "dev"
 * @param {string} usage    printed after the error
 * @param {import('node:util').ParseArgsConfig} config
 * @param {string} [help]   printed for --help / -h (exit 0)
 */
export function parseScriptArgs(name, usage, config, help = usage) {
  const args = config.args ?? process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    console.log(help);
    process.exit(0);
  }
  try {
    return parseArgs({ strict: true, ...config });
  } catch (err) {
    const known = Object.keys(config.options ?? {}).map((o) => `--${o}`).join(', ');
    const what = /'([^']+)'/.exec(err.message)?.[1] ?? err.message;
    const line = err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? `unknown option '${what}' (options: ${known})`
      : err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' ? `option '${what.split(' ')[0]}' needs a value`
        : err.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL' ? `unexpected argument '${what}'` : err.message;
    console.error(`${name}: ${line}\n${usage}`);
    process.exit(2);
  }
}
