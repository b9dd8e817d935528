// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import "./FlashLender.sol";

interface IApprovableToken is IToken {
    function approve(address spender, uint256 value) external returns (bool);
}

/// @title Settles one arbitrage cycle inside a flash loan: pays the power leg's settlement, takes the futures
/// leg's proceeds (the futures venue has approved this contract), repays amount + fee — or the whole cycle reverts.
contract SettlementBorrower is IERC3156FlashBorrower {
    bytes32 private constant CALLBACK_SUCCESS = keccak256("ERC3156FlashBorrower.onFlashLoan");
    FlashLender public immutable lender;
    address public immutable desk;

    event Settled(address powerVenue, uint256 powerPayment, address futuresVenue, uint256 futuresProceeds, uint256 fee);

    constructor(FlashLender lender_) {
        lender = lender_;
        desk = msg.sender;
    }

    /// @notice Borrows the power leg's payment and settles the cycle; only the desk may ask.
    function settle(address powerVenue, uint256 powerPayment, address futuresVenue, uint256 futuresProceeds) external {
        require(msg.sender == desk, "only the desk settles");
        lender.flashLoan(this, lender.token(), powerPayment, abi.encode(powerVenue, powerPayment, futuresVenue, futuresProceeds));
    }

    function onFlashLoan(address initiator, address token, uint256 amount, uint256 fee, bytes calldata data) external returns (bytes32) {
        require(msg.sender == address(lender), "only the lender calls back");
        require(initiator == address(this), "only loans this contract asked for");
        (address powerVenue, uint256 powerPayment, address futuresVenue, uint256 futuresProceeds) = abi.decode(data, (address, uint256, address, uint256));
        require(powerPayment == amount, "the loan pays the power leg");
        require(IToken(token).transfer(powerVenue, powerPayment), "power settlement failed");
        require(IToken(token).transferFrom(futuresVenue, address(this), futuresProceeds), "futures proceeds not received");
        require(IApprovableToken(token).approve(address(lender), amount + fee), "approval failed");
        emit Settled(powerVenue, powerPayment, futuresVenue, futuresProceeds, fee);
        return CALLBACK_SUCCESS;
    }
}
