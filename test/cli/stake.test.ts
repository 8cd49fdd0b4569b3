import { expect } from "chai";
import { network } from "hardhat";

import { UNIT, mineToOpen, mineToWindowStart } from "../helpers/pool.js";
import { TASK_UNBONDING_PERIOD, deployTaskSystem, type TaskSystem } from "../helpers/tasks.js";
import { cliRunner, expectFailure, expectOk, nonceOf } from "./helpers.js";

const { ethers, networkHelpers } = await network.create();

/** Default account 3 is `deployTaskSystem`'s outsider: no stake, no tokens, no allowance. */
const STAKER = 3;

describe("CLI: pool, stake and token commands", function () {
  let sys: TaskSystem;
  let cli: ReturnType<typeof cliRunner>;
  let staker: string;

  before(async function () {
    sys = await deployTaskSystem(ethers, networkHelpers);
    cli = cliRunner(ethers.provider, ["--task-manager", await sys.manager.getAddress()]);
    staker = sys.outsider.address;
  });

  async function refused(args: string[], code: number, name: string, key: number | undefined = STAKER) {
    const before = await nonceOf(ethers, key ?? STAKER);
    const run = await cli(args, key === undefined ? {} : { key });
    expectFailure(run, code, name);
    expect(await nonceOf(ethers, key ?? STAKER), "no transaction").to.equal(before);
    return run.doc.error as Record<string, unknown>;
  }

  it("pool status reports the deployment, totals and parameters", async function () {
    const run = await cli(["pool", "status"]);
    expectOk(run);
    const addresses = run.doc.addresses as Record<string, string>;
    expect(addresses.taskManager).to.equal(await sys.manager.getAddress());
    expect(addresses.securityPool).to.equal(await sys.pool.getAddress());
    expect(run.doc.chainId).to.equal("31337");
    expect((run.doc.totals as Record<string, string>).active).to.equal((880n * UNIT).toString());
    expect((run.doc.totals as Record<string, string>).stakers).to.equal("6");
    expect((run.doc.parameters as Record<string, string>).minStake).to.equal((10n * UNIT).toString());
    expect(run.doc.token).to.deep.include({ symbol: "CST", decimals: 18 });
  });

  it("token mint mints test tokens to the signer or --to", async function () {
    let run = await cli(["token", "mint", "100.5"], { key: STAKER });
    expectOk(run);
    expect(run.doc.to).to.equal(staker);
    expect(run.doc.amount).to.equal((1005n * UNIT) / 10n + "");
    run = await cli(["token", "mint", "7", "--wei", "--to", sys.treasury.address.toLowerCase()], { key: STAKER });
    expectOk(run);
    expect(run.doc.to).to.equal(sys.treasury.address);
    expect(await sys.token.balanceOf(staker)).to.equal((1005n * UNIT) / 10n);
    expect(await sys.token.balanceOf(sys.treasury.address)).to.equal(7n);
  });

  it("stake add --no-approve without an allowance is ERC20InsufficientAllowance (3), sending nothing", async function () {
    const error = await refused(["stake", "add", "20", "--no-approve"], 3, "ContractRevertError");
    expect(error.errorName).to.equal("ERC20InsufficientAllowance");
    expect((error.args as Record<string, string>).needed).to.equal((20n * UNIT).toString());
  });

  it("stake add below the minimum is SecurityPoolBelowMinimumStake (3), approving nothing", async function () {
    const error = await refused(["stake", "add", "1"], 3, "ContractRevertError");
    expect(error.errorName).to.equal("SecurityPoolBelowMinimumStake");
    expect(await sys.token.allowance(staker, await sys.pool.getAddress())).to.equal(0n);
  });

  it("stake add beyond the balance is ERC20InsufficientBalance (3), approving nothing", async function () {
    const error = await refused(["stake", "add", "1000"], 3, "ContractRevertError");
    expect(error.errorName).to.equal("ERC20InsufficientBalance");
  });

  it("stake add approves exactly the missing allowance, then stakes", async function () {
    const run = await cli(["stake", "add", "20.5"], { key: STAKER });
    expectOk(run);
    const amount = (205n * UNIT) / 10n;
    expect(run.doc.amount).to.equal(amount.toString());
    expect(run.doc.active).to.equal(amount.toString());
    const approval = run.doc.approval as { events: { name: string; args: Record<string, string> }[] };
    expect(approval.events[0]).to.deep.include({ name: "Approval" });
    expect(approval.events[0]!.args.value).to.equal(amount.toString());
    const events = (run.doc.transaction as { events: { name: string }[] }).events.map((e) => e.name);
    expect(events).to.include("Staked");
    expect((await sys.pool.stakeOf(staker)).active).to.equal(amount);
    expect(await sys.token.allowance(staker, await sys.pool.getAddress())).to.equal(0n);
  });

  it("stake add with --wei takes base units, and sends no approval when the allowance covers it", async function () {
    await (await sys.token.connect(sys.outsider).approve(await sys.pool.getAddress(), UNIT)).wait();
    const run = await cli(["stake", "add", UNIT.toString(), "--wei"], { key: STAKER });
    expectOk(run);
    expect(run.doc.approval).to.equal(undefined);
    expect(run.doc.active).to.equal(((215n * UNIT) / 10n).toString());
  });

  it("stake show reports the signer's account, or any address without a key", async function () {
    const own = await cli(["stake", "show"], { key: STAKER });
    expectOk(own);
    expect(own.doc.account).to.equal(staker);
    const stake = own.doc.stake as Record<string, string>;
    expect(stake.active).to.equal(((215n * UNIT) / 10n).toString());
    expect(stake.free).to.equal(stake.active);
    expect(own.doc.token).to.equal((79n * UNIT).toString());
    const other = await cli(["stake", "show", sys.workers[0]!.address]);
    expectOk(other);
    expect((other.doc.stake as Record<string, string>).active).to.equal((300n * UNIT).toString());
  });

  it("stake show without an address or a key, or with a bad address, is InvalidArgumentError (2)", async function () {
    expectFailure(await cli(["stake", "show"]), 2, "InvalidArgumentError");
    expectFailure(await cli(["stake", "show", "0x1234"]), 2, "InvalidArgumentError");
  });

  it("bad amounts are InvalidArgumentError (2)", async function () {
    for (const amount of ["abc", "-1", "0", "1e18", "1.5.2", "0.0000000000000000001", ""]) {
      await refused(["stake", "add", amount], 2, "InvalidArgumentError");
    }
    await refused(["stake", "add", "1.5", "--wei"], 2, "InvalidArgumentError");
    await refused(["stake", "unstake", "x"], 2, "InvalidArgumentError");
  });

  it("stake unstake more than the free stake is SecurityPoolInsufficientFreeStake (3)", async function () {
    const error = await refused(["stake", "unstake", "100"], 3, "ContractRevertError");
    expect(error.errorName).to.equal("SecurityPoolInsufficientFreeStake");
    expect(error.args).to.deep.include({ requested: (100n * UNIT).toString(), free: ((215n * UNIT) / 10n).toString() });
  });

  it("stake unstake moves free stake into unbonding", async function () {
    const run = await cli(["stake", "unstake", "5"], { key: STAKER });
    expectOk(run);
    expect(run.doc.amount).to.equal((5n * UNIT).toString());
    const info = await sys.pool.stakeOf(staker);
    expect(info.unbonding).to.equal(5n * UNIT);
    expect(run.doc.unbondingEnd).to.equal(info.unbondingEnd.toString());
  });

  it("stake withdraw before the end of unbonding is SecurityPoolStillUnbonding (3)", async function () {
    const error = await refused(["stake", "withdraw"], 3, "ContractRevertError");
    expect(error.errorName).to.equal("SecurityPoolStillUnbonding");
  });

  it("stake withdraw pays out after the unbonding period", async function () {
    await networkHelpers.mine(TASK_UNBONDING_PERIOD + 1n);
    const before = await sys.token.balanceOf(staker);
    const run = await cli(["stake", "withdraw"], { key: STAKER });
    expectOk(run);
    expect(run.doc.amount).to.equal((5n * UNIT).toString());
    expect(await sys.token.balanceOf(staker)).to.equal(before + 5n * UNIT);
  });

  it("stake add inside a draw window defers the weight; stake sync applies it after (anyone may)", async function () {
    await mineToWindowStart(ethers, networkHelpers);
    const added = await cli(["stake", "add", "5"], { key: STAKER });
    expectOk(added);
    expect(added.doc.weightDeferred).to.equal(true);
    expect(BigInt(added.doc.targetWeight as string)).to.equal(BigInt(added.doc.weight as string) + 5n);
    // Inside the window the pool refuses weight changes, so the draw in progress cannot be steered.
    const frozen = await refused(["stake", "sync", staker], 3, "ContractRevertError", 0);
    expect(frozen.errorName).to.equal("SecurityPoolWeightsFrozen");
    await mineToOpen(ethers, networkHelpers);
    const run = await cli(["stake", "sync", staker], { key: 0 });
    expectOk(run);
    expect(run.doc.weight).to.equal(added.doc.targetWeight);
    expect((await sys.pool.stakeOf(staker)).weight.toString()).to.equal(added.doc.targetWeight);
  });

  it("pool claim with nothing to claim is SecurityPoolNothingToClaim (3)", async function () {
    const error = await refused(["pool", "claim"], 3, "ContractRevertError");
    expect(error.errorName).to.equal("SecurityPoolNothingToClaim");
  });

  it("human output formats amounts in tokens", async function () {
    const run = await cli(["stake", "show", staker], { json: false });
    expect(run.code).to.equal(0);
    expect(run.stdout).to.match(/active stake\s+21\.5 CST/);
    expect(run.stdout).to.match(/wallet\s+79\.0 CST/);
  });
});
