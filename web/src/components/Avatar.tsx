import { hueClass, initials } from '../format';

// The API has no contact photos (only names), so people get their initials.
export function Avatar({ name, group = false }: { name: string; group?: boolean }) {
  return <span class={`avatar ${hueClass(name)}`} aria-hidden="true">{group ? '👥' : initials(name)}</span>;
}
