// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {VRFCoordinatorV2_5Mock} from "@chainlink/contracts/src/v0.8/vrf/mocks/VRFCoordinatorV2_5Mock.sol";

/// @title VrfCoordinatorMock
/// @notice Chainlink's VRF v2.5 coordinator mock, unchanged. Hardhat emits artifacts only for contracts defined in the
/// project, so this empty subclass is what lets tests deploy the mock by name.
contract VrfCoordinatorMock is VRFCoordinatorV2_5Mock {
    /// @notice Passes the fee settings to Chainlink's mock.
    /// @param baseFee The flat fee per fulfilment (LINK juels or wei).
    /// @param gasPrice The gas price the mock charges fulfilments at.
    /// @param weiPerUnitLink The LINK price in wei, to convert gas costs into LINK.
    constructor(
        uint96 baseFee,
        uint96 gasPrice,
        int256 weiPerUnitLink
    ) VRFCoordinatorV2_5Mock(baseFee, gasPrice, weiPerUnitLink) {}
}
