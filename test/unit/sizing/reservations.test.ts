import { reservationsFor, reservedCpuMillicores, reservedMemoryBytes } from '../../../lib/sizing/reservations';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

describe('CPU formula', () => {
  it.each([
    [1, 60], // 6% of 1000m
    [2, 70], // 60 + 1% of 1000m
    [4, 80], // 70 + 0.5% × 2000m
    [8, 90], // 80 + 0.25% × 4000m = 80 + 10
    [16, 110], // 80 + 0.25% × 12000m = 80 + 30
    [48, 190], // 80 + 0.25% × 44000m = 80 + 110
    [3, 75], // 70 + 0.5% × 1000m
  ])('%d cores reserve %dm', (cores, milli) => expect(reservedCpuMillicores(cores)).toBe(milli));
});

describe('memory formula', () => {
  it.each([
    [2, 512], // 25% of 2 GiB
    [4, 1024], // 25% of 4 GiB
    [8, 1844], // 1024 + 20% × 4096 = 1024 + 819.2 = 1843.2 → 1844
    [16, 2663], // 1843.2 + 10% × 8192 = 2662.4 → 2663
    [32, 3646], // 2662.4 + 6% × 16384 = 2662.4 + 983.04 = 3645.44 → 3646
    [128, 9544], // 2662.4 + 6% × 114688 = 2662.4 + 6881.28 = 9543.68 → 9544
    [384, 14787], // 9543.68 + 2% × 262144 = 9543.68 + 5242.88 = 14786.56 → 14787
  ])('%d GiB reserve %d MiB', (gib, mib) => expect(reservedMemoryBytes(gib * GiB)).toBe(mib * MiB));
});

describe('reservationsFor', () => {
  it('splits 8 CPU / 32 GiB into kube 2/3 and system 1/3 as quantity strings', () => {
    const r = reservationsFor({ cpu: 8, memory: '32Gi' });
    // cpu 90m: system floor(90/3)=30, kube 60; memory 3646Mi: system floor(1215.33)=1215, kube 2431
    expect(r.kubeReserved).toEqual({ cpu: '60m', memory: '2431Mi', 'ephemeral-storage': '1Gi', pid: '1000' });
    expect(r.systemReserved).toEqual({ cpu: '30m', memory: '1215Mi', 'ephemeral-storage': '2Gi', pid: '1000' });
    expect(r.totalCpuMillicores).toBe(90);
    expect(r.totalMemoryBytes).toBe(3646 * MiB);
  });
  it('the two halves always add up to the formula', () => {
    for (const [cpu, mem] of [[1, '1Gi'], [3, '6Gi'], [7, '27Gi'], [96, '768Gi']] as const) {
      const r = reservationsFor({ cpu, memory: mem });
      const milli = (s: string) => Number(s.replace('m', ''));
      const mib = (s: string) => Number(s.replace('Mi', ''));
      expect(milli(r.kubeReserved.cpu) + milli(r.systemReserved.cpu)).toBe(r.totalCpuMillicores);
      expect((mib(r.kubeReserved.memory) + mib(r.systemReserved.memory)) * MiB).toBe(r.totalMemoryBytes);
    }
  });
  it('accepts decimal memory quantities', () => {
    // 8G = 8e9 bytes = 7.4506 GiB: 1 GiB + 20% of 3.4506 GiB = 1024 + 706.68 → 1731 MiB
    expect(reservationsFor({ cpu: 2, memory: '8G' }).totalMemoryBytes).toBe(1731 * MiB);
  });
});
