// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

interface IToken {
    function balanceOf(address) external view returns (uint256);
    function transfer(address to, uint256 value) external returns (bool);
    function transferFrom(address from, address to, uint256 value) external returns (bool);
}

interface IERC3156FlashBorrower {
    function onFlashLoan(address initiator, address token, uint256 amount, uint256 fee, bytes calldata data) external returns (bytes32);
}

/// @title An ERC-3156 flash lender of one token: lends its float, calls the borrower back, pulls amount + fee, or reverts it all.
contract FlashLender {
    bytes32 private constant CALLBACK_SUCCESS = keccak256("ERC3156FlashBorrower.onFlashLoan");
    address public immutable token;
    uint256 public immutable feeBps;

    constructor(address token_, uint256 feeBps_) {
        token = token_;
        feeBps = feeBps_;
    }

    function maxFlashLoan(address token_) public view returns (uint256) {
        return token_ == token ? IToken(token).balanceOf(address(this)) : 0;
    }

    function flashFee(address token_, uint256 amount) public view returns (uint256) {
        require(token_ == token, "unsupported token");
        return (amount * feeBps + 9_999) / 10_000; // rounded up, in pence
    }

    function flashLoan(IERC3156FlashBorrower receiver, address token_, uint256 amount, bytes calldata data) external returns (bool) {
        require(amount <= maxFlashLoan(token_), "amount above maxFlashLoan");
        uint256 fee = flashFee(token_, amount);
        require(IToken(token).transfer(address(receiver), amount), "loan transfer failed");
        require(receiver.onFlashLoan(msg.sender, token_, amount, fee, data) == CALLBACK_SUCCESS, "borrower callback failed");
        require(IToken(token).transferFrom(address(receiver), address(this), amount + fee), "repayment failed");
        return true;
    }
}
