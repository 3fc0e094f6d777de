import type { Capability } from './contract';

/**
 * Who owns which add-on and tenant folder of a cluster: the capability that asked for it first.
 * Another capability may add to the folder only when it declares `extends: [<owner>]`, so that a
 * custom `addonChart('logging')` can never merge silently into the built-in logging folder.
 */
export class FolderClaims {
  private readonly owners = new Map<string, string>();
  private readonly extendsOf: ReadonlyMap<string, readonly string[]>;
  constructor(set: readonly Capability[]) {
    this.extendsOf = new Map(set.map((c) => [c.id, c.extends ?? []]));
  }

  claim(kind: 'add-on' | 'tenant', folder: string, by: Capability): void {
    const key = `${kind}/${folder}`;
    const owner = this.owners.get(key);
    if (owner === undefined) this.owners.set(key, by.id);
    else if (owner !== by.id && !(this.extendsOf.get(by.id) ?? []).includes(owner))
      throw new Error(
        `capability "${by.id}" asks for the ${kind} folder "${folder}", which capability "${owner}" owns; choose another folder name, or declare extends: ["${owner}"] on "${by.id}" to add to it`,
      );
  }
}
