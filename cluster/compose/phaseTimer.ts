// Lets a caller (the conversion benchmark) see where loading a project spends its time without
// the loader knowing how it is measured.

export type LoadPhase = 'parse' | 'interpolate' | 'validate';

export type PhaseTimer = <T>(phase: LoadPhase, run: () => T) => T;

export const untimed: PhaseTimer = (_phase, run) => run();
