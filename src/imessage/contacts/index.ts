// Contact names for handles (macOS Contacts / AddressBook).
export { ContactBook, accessProblem, type ContactBookOptions } from './contactBook.ts';
export { normalizeHandle } from './normalize.ts';
export { findAddressBooks, readAddressBook, displayNameOf, AB_FILE, type ContactRecord } from './addressBook.ts';
