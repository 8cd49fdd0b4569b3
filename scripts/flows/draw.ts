import type { Cohort } from "../../sdk/src/index.js";
import { Phase } from "../../sdk/src/index.js";

/**
 * Draws a task's pending seats once its seed can be read: mines (local node) or waits up to a block-hash seed's
 * target block, or triggers a VRF request and waits for the answer; a seed that missed its window is re-armed by the
 * draw itself, so it tries again, up to four windows.
 */
export async function drawWhenReady(
  caller: Cohort,
  taskId: bigint,
  untilBlock: (target: bigint) => Promise<void>,
): Promise<boolean> {
  for (let attempt = 0; attempt < 4; attempt++) {
    if ((await caller.getTask({ taskId })).phase !== Phase.AwaitingSeed) return true;
    const seed = await caller.getSeed({ taskId });
    if (seed.target !== undefined) {
      // A block-hash seed is readable once its target block is mined: the draw then lands in the block after it.
      await untilBlock(seed.target);
    } else if (!seed.ready) {
      if (seed.statusName === "Armed") await caller.triggerRandomness({ taskId });
      while (!(await caller.getSeed({ taskId })).ready) await new Promise((r) => setTimeout(r, 4_000));
    }
    const drawn = await caller.drawCommittee({ taskId });
    console.log(drawn.drawn ? `task ${taskId}: seats drawn` : `task ${taskId}: seed re-armed for the next window`);
  }
  return (await caller.getTask({ taskId })).phase !== Phase.AwaitingSeed;
}
