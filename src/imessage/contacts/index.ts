// Contact names for handles (macOS Contacts / AddressBook).
export { ContactBook, accessProblem, type ContactBookOptions } from './contactBook.ts';
export { normalizeHandle } from './normalize.ts';
export { findAddressBooks, readAddressBook, displayNameOf, photoFrom, AB_FILE, type ContactRecord, type ContactPhoto } from './addressBook.ts';
