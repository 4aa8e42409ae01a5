/** An error of the program under plan, rendered without a stack trace (exit 2). */
export class ProgramError extends Error {
    constructor(message: string) { super(message); this.name = "ProgramError"; }
}
