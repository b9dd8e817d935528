// Compiles the settlement contracts with solc-js (pinned in package.json) for the Shanghai EVM
// (ganache 7 runs Shanghai; solc 0.8.26 would otherwise emit Cancun opcodes such as MCOPY) and
// writes each contract's ABI and bytecode to build/<File>_sol_<Contract>.abi|.bin.
import fs from 'node:fs';
import path from 'node:path';
import solc from 'solc';

const files = ['GbpToken.sol', 'FlashLender.sol', 'SettlementBorrower.sol'];
const input = {
  language: 'Solidity',
  sources: Object.fromEntries(files.map(f => [f, { content: fs.readFileSync(f, 'utf8') }])),
  settings: {
    evmVersion: 'shanghai',
    optimizer: { enabled: true, runs: 200 },
    outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
  },
};
const output = JSON.parse(solc.compile(JSON.stringify(input), { import: p => ({ contents: fs.readFileSync(p, 'utf8') }) }));
const errors = (output.errors ?? []).filter(e => e.severity === 'error');
if (errors.length > 0) {
  for (const e of errors) console.error(e.formattedMessage);
  process.exit(1);
}
fs.mkdirSync('build', { recursive: true });
for (const [file, contracts] of Object.entries(output.contracts)) {
  for (const [name, contract] of Object.entries(contracts)) {
    const base = path.join('build', `${file.replace('.sol', '')}_sol_${name}`);
    fs.writeFileSync(base + '.abi', JSON.stringify(contract.abi));
    fs.writeFileSync(base + '.bin', contract.evm.bytecode.object);
  }
}
console.log(`compiled ${files.length} files with solc ${solc.version()} for shanghai`);
