// Files the fake osascript keeps in the simulator folder, shared with tests.
export const INVOCATION_LOG = 'fake-osascript.log';
export const HANG_FILE = 'fake-osascript.hang.json';
