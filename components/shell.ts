/**
 * Quoting for the shell commands the stack outputs (migrationCommand), which the docs tell users
 * to paste or `eval`. A word of the safe alphabet stays as it is (so the usual command reads
 * naturally); anything else is single-quoted, with embedded single quotes closed, escaped and
 * reopened, which POSIX sh reads back as exactly the original word.
 */
const SAFE_WORD = /^[A-Za-z0-9@%+=:,./_-]+$/;

export function shellQuote(word: string): string {
    if (SAFE_WORD.test(word)) return word;
    return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A command line from words, each quoted as needed. */
export function shellCommand(words: string[]): string {
    return words.map(shellQuote).join(" ");
}
