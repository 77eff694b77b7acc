// One presentation for every network: titles, sender labels, system lines,
// stand-ins and fate sentences (issue 10 §3). Pure functions, no I/O, so the
// web client can use them too.
export * from './titles.ts';
export * from './lines.ts';
export * from './split.ts';
export * from './links.ts';
export * from './namespace.ts';
