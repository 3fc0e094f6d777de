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
  // Totals computed by hand from the tiers:
  //   1 core 60m; 3 cores 70 + 5 = 75m; 7 cores 80 + 0.25% × 3000 = 87.5 → 88m; 96 cores 80 + 0.25% × 92 000 = 310m
  //   1Gi 256Mi; 6Gi 1024 + 20% × 2048 = 1433.6 → 1434Mi; 27Gi 2662.4 + 6% × 11 264 = 3338.24 → 3339Mi;
  //   768Gi 2662.4 + 6881.28 + 2% × 655 360 = 22 650.88 → 22 651Mi
  it.each([
    [1, '1Gi', 60, 256],
    [3, '6Gi', 75, 1434],
    [7, '27Gi', 88, 3339],
    [96, '768Gi', 310, 22651],
  ] as const)('%d CPU / %s: the two halves add up to %dm and %d MiB', (cpu, memory, totalMilli, totalMiB) => {
    const r = reservationsFor({ cpu, memory });
    const milli = (s: string) => Number(/^(\d+)m$/.exec(s)![1]);
    const mib = (s: string) => Number(/^(\d+)Mi$/.exec(s)![1]);
    expect(r.totalCpuMillicores).toBe(totalMilli);
    expect(r.totalMemoryBytes).toBe(totalMiB * MiB);
    expect(milli(r.kubeReserved.cpu) + milli(r.systemReserved.cpu)).toBe(totalMilli);
    expect(mib(r.kubeReserved.memory) + mib(r.systemReserved.memory)).toBe(totalMiB);
    // system takes floor(total / 3), kube the rest
    expect(milli(r.systemReserved.cpu)).toBe(Math.floor(totalMilli / 3));
    expect(mib(r.systemReserved.memory)).toBe(Math.floor(totalMiB / 3));
  });
  it('accepts decimal memory quantities', () => {
    // 8G = 8e9 bytes = 7.4506 GiB: 1 GiB + 20% of 3.4506 GiB = 1024 + 706.68 → 1731 MiB
    expect(reservationsFor({ cpu: 2, memory: '8G' }).totalMemoryBytes).toBe(1731 * MiB);
  });
});

/*
 * The formula pinned at three SKUs, computed by hand (MiB = 1024 × 1024 bytes).
 *
 * CPU: 6% of core 1, 1% of core 2, 0.5% of cores 3-4, 0.25% of every core above 4 (in millicores).
 *   4 cores:  60 + 10 + 0.5% × 2000 (10)                    =  80m
 *   16 cores: 80 + 0.25% × 12 000 (30)                      = 110m
 *   64 cores: 80 + 0.25% × 60 000 (150)                     = 230m
 * Memory: 25% of the first 4 GiB, 20% of the next 4, 10% of the next 8, 6% of the next 112, 2% above 128 GiB.
 *   first 16 GiB: 25% × 4096 + 20% × 4096 + 10% × 8192 = 1024 + 819.2 + 819.2 = 2662.4 MiB
 *   16 GiB:  2662.4                                                      → 2663 MiB (rounded up)
 *   64 GiB:  2662.4 + 6% × 48 GiB (49 152 MiB → 2949.12)       = 5611.52 → 5612 MiB
 *   512 GiB: 2662.4 + 6% × 112 GiB (114 688 MiB → 6881.28)
 *                   + 2% × 384 GiB (393 216 MiB → 7864.32)      = 17 408.00 → 17 408 MiB (exactly 17 GiB)
 * Split: system = floor(total / 3), kube = total − system.
 *   80m → 26 / 54;  110m → 36 / 74;  230m → 76 / 154
 *   2663 → 887 / 1776;  5612 → 1870 / 3742;  17 408 → 5802 / 11 606
 */
describe('reservations pinned at 4/16, 16/64 and 64/512', () => {
  it.each([
    [4, '16Gi', 80, 2663, { cpu: '54m', memory: '1776Mi' }, { cpu: '26m', memory: '887Mi' }],
    [16, '64Gi', 110, 5612, { cpu: '74m', memory: '3742Mi' }, { cpu: '36m', memory: '1870Mi' }],
    [64, '512Gi', 230, 17408, { cpu: '154m', memory: '11606Mi' }, { cpu: '76m', memory: '5802Mi' }],
  ])('%d CPU / %s reserves %dm and %d MiB', (cpu, memory, totalMilli, totalMiB, kube, system) => {
    const r = reservationsFor({ cpu, memory });
    expect(r.totalCpuMillicores).toBe(totalMilli);
    expect(r.totalMemoryBytes).toBe(totalMiB * MiB);
    expect(r.kubeReserved).toEqual({ ...kube, 'ephemeral-storage': '1Gi', pid: '1000' });
    expect(r.systemReserved).toEqual({ ...system, 'ephemeral-storage': '2Gi', pid: '1000' });
  });

  it('the tier boundaries themselves: 128 GiB takes nothing at 2%, 129 GiB takes 2% of one GiB', () => {
    // 128 GiB: 9543.68 → 9544 MiB; 129 GiB: 9543.68 + 2% × 1024 (20.48) = 9564.16 → 9565 MiB
    expect(reservedMemoryBytes(128 * GiB)).toBe(9544 * MiB);
    expect(reservedMemoryBytes(129 * GiB)).toBe(9565 * MiB);
    // 5 cores: 80 + 0.25% × 1000 = 82.5 → 83m (rounded up)
    expect(reservedCpuMillicores(5)).toBe(83);
  });
});
