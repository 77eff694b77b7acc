import { hueClass, initials } from '../format';

export function Avatar({ name, group = false }: { name: string; group?: boolean }) {
  return <span class={`avatar ${hueClass(name)}`} aria-hidden="true">{group ? '👥' : initials(name)}</span>;
}
