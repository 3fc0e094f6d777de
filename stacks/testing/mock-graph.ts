/**
 * Test support: Pulumi mocks that record the resource graph (type, name, inputs, which inputs
 * are secret, and the URNs each resource depends on), so that tests assert which resources a
 * program creates, with which inputs, in which order. Call `installMockGraph()` BEFORE importing
 * the program under test.
 */
import { createHash } from 'node:crypto';
import * as pulumi from '@pulumi/pulumi';

const SECRET_SIG = '1b47061264138c4ac30d75fd1eb44270';
const SIG_KEY = '4dabf18193072939515e22adb298388d';

/** Inputs as plain values: secret wrappers replaced by their values. */
function unwrapSecrets(value: any): any {
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (value && typeof value === 'object') {
    if (value[SIG_KEY] === SECRET_SIG) return unwrapSecrets(value.value);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrapSecrets(v)]));
  }
  return value;
}

export interface RecordedResource {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly id: string;
  readonly inputs: Record<string, any>;
  /** Top-level input properties that arrived as secrets. */
  readonly secretInputs: ReadonlySet<string>;
  /** Logical names of the resources this one depends on (explicit dependsOn and data dependencies). */
  readonly dependsOn: ReadonlySet<string>;
  /** True for `Resource.get` reads. */
  readonly read: boolean;
}

export interface MockGraph {
  readonly resources: RecordedResource[];
  byType(type: string): RecordedResource[];
  one(type: string, name: string): RecordedResource;
  /** Waits until no resource has been registered for a while (bounded). */
  settle(): Promise<void>;
  reset(): void;
}

const nameOfUrn = (urn: string) => urn.slice(urn.lastIndexOf('::') + 2);
const fakeHex = (seed: string, bytes: number) => createHash('sha256').update(seed).digest('hex').repeat(4).slice(0, bytes * 2);

/** Output state a fake provider would return for a resource of `type`. */
function fakeState(type: string, name: string, inputs: Record<string, any>, extra?: MockStateHook): Record<string, unknown> {
  const custom = extra?.(type, name, inputs);
  if (custom) return { ...inputs, ...custom };
  switch (type) {
    case 'tls:index/privateKey:PrivateKey':
      return { ...inputs, privateKeyPem: `-----BEGIN PRIVATE KEY-----\n${name}\n-----END PRIVATE KEY-----\n`, publicKeyPem: `PUB ${name}` };
    case 'tls:index/selfSignedCert:SelfSignedCert':
    case 'tls:index/locallySignedCert:LocallySignedCert':
      return { ...inputs, certPem: `-----BEGIN CERTIFICATE-----\n${name}\n-----END CERTIFICATE-----\n` };
    case 'tls:index/certRequest:CertRequest':
      return { ...inputs, certRequestPem: `CSR ${name}` };
    case 'random:index/randomBytes:RandomBytes':
      return { ...inputs, base64: Buffer.from(fakeHex(name, 32), 'hex').toString('base64'), hex: fakeHex(name, 32) };
    case 'random:index/randomId:RandomId':
      return { ...inputs, hex: fakeHex(name, inputs.byteLength ?? 8) };
    case 'openstack:networking/port:Port':
      return { ...inputs, allFixedIps: (inputs.fixedIps ?? []).map((f: { ipAddress?: string }) => f.ipAddress ?? '10.0.0.99') };
    case 'openstack:compute/instance:Instance':
      return { ...inputs, accessIpV4: `192.0.2.${(name.length * 7) % 250}` };
    default:
      return inputs;
  }
}

/** Extra state for chosen resources (e.g. a command's stdout); return undefined for the default. */
export type MockStateHook = (type: string, name: string, inputs: Record<string, any>) => Record<string, unknown> | undefined;

/** A hook that gives every Cluster API kubeconfig Secret (`<cluster>-capi-kubeconfig`) this kubeconfig as its data. */
export function capiKubeconfigSecrets(kubeconfig: string): MockStateHook {
  return (type, name) => (type === 'kubernetes:core/v1:Secret' && name.endsWith('-capi-kubeconfig') ? { data: { value: Buffer.from(kubeconfig).toString('base64') } } : undefined);
}

export function installMockGraph(hook?: MockStateHook): MockGraph {
  const resources: RecordedResource[] = [];
  const pending = new Map<string, { secretInputs: Set<string>; dependsOn: Set<string> }>();
  pulumi.runtime.setMocks(
    {
      newResource(args) {
        const id = args.id || `${args.name}-id`;
        const inputs = unwrapSecrets(args.inputs);
        const meta = pending.get(`${args.type}::${args.name}`) ?? { secretInputs: new Set<string>(), dependsOn: new Set<string>() };
        resources.push({
          type: args.type,
          name: args.name,
          urn: `${args.type}::${args.name}`,
          id,
          inputs,
          secretInputs: meta.secretInputs,
          dependsOn: meta.dependsOn,
          read: !!args.id,
        });
        return { id, state: fakeState(args.type, args.name, inputs, hook) };
      },
      call(args) {
        return args.inputs;
      },
    },
    'kprod',
    'test',
    false,
  );
  // Observe what the SDK sends to the engine: dependencies and secretness are not part of MockResourceArgs.
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    registerResource(req: any, cb: any): void;
    readResource?(req: any, cb: any): void;
  };
  const wrap = (method: 'registerResource' | 'readResource') => {
    const original = monitor[method]?.bind(monitor);
    if (!original) return;
    monitor[method] = (req: any, cb: any) => {
      const object = req.getObject?.()?.toJavaScript?.() ?? req.getProperties?.()?.toJavaScript?.() ?? {};
      const secretInputs = new Set(Object.entries(object).filter(([, v]) => JSON.stringify(v)?.includes(SECRET_SIG)).map(([k]) => k));
      const deps = new Set<string>((req.getDependenciesList?.() ?? []).map(nameOfUrn));
      const pd = req.getPropertydependenciesMap?.();
      pd?.forEach((v: any) => v.getUrnsList().forEach((u: string) => deps.add(nameOfUrn(u))));
      pending.set(`${req.getType()}::${req.getName()}`, { secretInputs, dependsOn: deps });
      original(req, cb);
    };
  };
  wrap('registerResource');
  wrap('readResource');

  return {
    resources,
    byType: (type) => resources.filter((r) => r.type === type),
    one(type, name) {
      const found = resources.filter((r) => r.type === type && r.name === name);
      if (found.length !== 1) throw new Error(`expected one ${type} named ${name}, found ${found.length}; have ${resources.filter((r) => r.type === type).map((r) => r.name).join(', ')}`);
      return found[0];
    },
    async settle() {
      let last = -1;
      let stable = 0;
      for (let i = 0; i < 200 && stable < 3; i++) {
        await new Promise((r) => setTimeout(r, 50));
        stable = resources.length === last ? stable + 1 : 0;
        last = resources.length;
      }
    },
    reset() {
      resources.length = 0;
      pending.clear();
    },
  };
}
