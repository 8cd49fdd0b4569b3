// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ITaskManager, ITaskManagerTypes} from "../interfaces/ITaskManager.sol";

/// @title PickyTaskCaller
/// @notice A test caller with a taste in committees (it wants one address among the members): it draws a task's
/// committee and reverts unless the address it wants holds a seat. Tests use it to show that reverting on a disliked
/// committee gets the caller no other committee.
contract PickyTaskCaller {
    /// @notice The caller disliked the committee of task `taskId`'s round `round`: `wanted` holds no seat in it.
    error PickyTaskCallerDisliked(uint256 taskId, uint256 round, address wanted);

    /// @notice The caller accepted the committee of task `taskId`'s round `round`, which seats `wanted`.
    /// @param taskId The task.
    /// @param round The round.
    /// @param wanted The address the caller wanted among the members.
    event CommitteeAccepted(uint256 indexed taskId, uint256 round, address wanted);

    /// @notice Draws task `taskId`'s committee and keeps it only if `wanted` holds a seat in it. A call that only
    /// re-arms the task's seed draws no committee, so there is nothing to dislike and it is kept.
    /// @param manager The task manager.
    /// @param taskId The task.
    /// @param wanted The address the caller wants among the members.
    /// @return drawn Whether a committee was drawn (false: the seed was re-armed).
    function drawIfLiked(ITaskManager manager, uint256 taskId, address wanted) external returns (bool drawn) {
        drawn = manager.drawCommittee(taskId);
        if (!drawn) return false;
        ITaskManagerTypes.TaskInfo memory info = manager.taskOf(taskId);
        ITaskManagerTypes.Record[] memory records = manager.recordsOf(taskId, info.round, 0, info.recordCount);
        for (uint256 i; i < records.length; ++i) {
            if (records[i].member == wanted && records[i].status == ITaskManagerTypes.RecordStatus.Assigned) {
                emit CommitteeAccepted(taskId, info.round, wanted);
                return true;
            }
        }
        revert PickyTaskCallerDisliked(taskId, info.round, wanted);
    }
}
