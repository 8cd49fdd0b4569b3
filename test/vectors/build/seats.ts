/**
 * `seats.json`: seat capacity, the escalation ladder as the task manager caps it, the challenge bond floor and the
 * life bound, from the NatSpec of `ITaskManagerTypes.Config`, `TaskManager._escalationsFitting`, `_challengeBondFloor`
 * and `ITaskManager.lifeBound`. `test/sdk/seats.chain.test.ts` checks these against the deployed contracts' views.
 */
import type { Random } from "./random.js";

const MAX_SEATS = 64;
const MAX_ROUND_SEATS = 129n;

/** Every round a task gets: the first committee, then `2 s + 1` seats (quorum `s + 1`) while they fit 129 seats. */
function ladder(seats: bigint, quorum: bigint, maxEscalations: bigint): [bigint, bigint][] {
  const rounds: [bigint, bigint][] = [[seats, quorum]];
  let s = seats;
  for (let k = 0n; k < maxEscalations && 2n * s + 1n <= MAX_ROUND_SEATS; k++) {
    rounds.push([2n * s + 1n, s + 1n]);
    s = 2n * s + 1n;
  }
  return rounds;
}

export function seatVectors(random: Random) {
  const capacity: [bigint, bigint][] = [
    [0n, 1n],
    [4n, 5n],
    [5n, 5n],
    [9n, 5n],
    [10n ** 20n, 5n * 10n ** 18n],
    [(1n << 256n) - 1n, 1n],
    [(1n << 256n) - 1n, (1n << 255n) + 1n],
  ];
  for (let i = 0; i < 20; i++) {
    const bond = random.between(1n, 10n ** 20n);
    capacity.push([random.between(0n, bond * 200n), bond]);
  }

  const ladders = [];
  for (let seats = 1; seats <= MAX_SEATS; seats++) {
    for (let maxEscalations = 0; maxEscalations <= 3; maxEscalations++) {
      const s = BigInt(seats);
      const quorum = seats % 7 === 0 ? s : s / 2n + 1n;
      const rounds = ladder(s, quorum, BigInt(maxEscalations));
      ladders.push({
        seats: s.toString(),
        quorum: quorum.toString(),
        maxEscalations: maxEscalations.toString(),
        escalations: (rounds.length - 1).toString(),
        rounds: rounds.map(([rs, rq]) => ({ seats: rs.toString(), quorum: rq.toString() })),
      });
    }
  }

  const floors = [];
  for (let i = 0; i < 40; i++) {
    const first = BigInt(random.pick([1, 2, 3, 5, 9, 16, 31, 32, 64, random.int(1, 64)]));
    const rounds = ladder(first, first / 2n + 1n, 3n);
    const step = random.int(0, rounds.length - 1);
    const seats = rounds[step]![0];
    const reward = random.pick([first, random.between(first, 10n ** 6n), random.between(first, 10n ** 24n)]);
    const perSeat = random.pick([1n, random.between(1n, 10n ** 6n), random.between(1n, 10n ** 21n)]);
    const ownPrice = (reward + first - 1n) / first;
    floors.push({
      seats: seats.toString(),
      escalations: step.toString(),
      reward: reward.toString(),
      challengeBondPerSeat: perSeat.toString(),
      firstSeats: first.toString(),
      floor: ((2n * seats + 1n) * (ownPrice > perSeat ? ownPrice : perSeat)).toString(),
    });
  }

  const lives = [];
  for (let i = 0; i < 40; i++) {
    const epochBlocks = BigInt(random.pick([20, 20, 7, 256]));
    const request = {
      commitBlocks: random.pick([1n, 10n, random.between(1n, 100_000n)]),
      revealBlocks: random.pick([1n, 10n, random.between(1n, 100_000n)]),
      challengeBlocks: random.pick([1n, 10n, random.between(1n, 100_000n)]),
      noQuorumRule: random.int(0, 1),
    };
    const config = {
      maxReplacementDraws: random.between(0n, 3n),
      maxEscalations: random.between(0n, 3n),
      maxRedraws: random.between(0n, 3n),
    };
    const perDraw = 3n * epochBlocks + request.commitBlocks;
    const perRound = (1n + config.maxReplacementDraws) * perDraw + request.revealBlocks;
    const steps = 1n + config.maxEscalations;
    const rounds = request.noQuorumRule === 0 ? steps + config.maxRedraws : steps;
    lives.push({
      epochBlocks: epochBlocks.toString(),
      commitBlocks: request.commitBlocks.toString(),
      revealBlocks: request.revealBlocks.toString(),
      challengeBlocks: request.challengeBlocks.toString(),
      noQuorumRule: request.noQuorumRule,
      maxReplacementDraws: config.maxReplacementDraws.toString(),
      maxEscalations: config.maxEscalations.toString(),
      maxRedraws: config.maxRedraws.toString(),
      lifeBound: (rounds * perRound + steps * request.challengeBlocks).toString(),
    });
  }

  return {
    description:
      "Seat capacity floor(free / seatBond); the escalation ladder of a task (first committee, then 2s+1 seats with " +
      "quorum s+1 per challenge while the round fits MAX_ROUND_SEATS = 129, at most maxEscalations); the challenge " +
      "bond floor (2s+1) * max(challengeBondPerSeat, ceil(reward / firstSeats)) for the round of `seats` seats after " +
      "`escalations` challenges; TaskManager.lifeBound for a pool of `epochBlocks`. noQuorumRule: 0 Redraw, 1 Refund.",
    seatCapacity: capacity.map(([free, seatBond]) => ({
      free: free.toString(),
      seatBond: seatBond.toString(),
      seats: (free / seatBond).toString(),
    })),
    escalationLadder: ladders,
    challengeBondFloor: floors,
    lifeBound: lives,
  };
}
