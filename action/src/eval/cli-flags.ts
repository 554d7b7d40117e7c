/** The runner's commands parse flags with the helpers every command shares (commands/flags.ts); kept for imports. */
export { intFlag, numberFlag, parseFlags, stringFlag, type FlagValues } from '../commands/flags.js';
