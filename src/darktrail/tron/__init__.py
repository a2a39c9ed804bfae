"""TRON and USDT-TRC20 for investigators: addresses, transfer records, flows, tracing.

* :mod:`darktrail.tron.addresses`: ``T...`` addresses (Base58Check with the 0x41 prefix),
  their hex (``41...``) and EVM (``0x...``) forms, validation with named reasons, and
  derivation from a secp256k1 key via Keccak-256;
* :mod:`darktrail.tron.transfers`: TronGrid TRC-20 and TRX transfer records, contract
  events, raw ``Transfer`` logs and account records read into pandas, amounts as exact
  integers of the smallest unit;
* :mod:`darktrail.tron.flows`: the account-model flow graph, following funds hop by hop
  (first in, first out, amounts conserved), deposit addresses of exchanges and exchangers,
  TRX fee funders; its docstring says how account-model tracing differs from UTXO tracing.

Everything is importable from here::

    from darktrail import tron
    transfers = tron.read_trc20_transfers("usdt_transfers.json", token="USDT")
    trace = tron.follow_funds(tron.flow_graph(transfers), shop_wallet, since="2024-09-01")
"""

from darktrail.tron.addresses import (
    PREFIX,
    TRANSFER_TOPIC,
    TronAddressError,
    address_from_private_key,
    address_from_public_key,
    decode,
    decompress_public_key,
    encode,
    evm_checksum,
    find_addresses,
    from_evm,
    from_hex,
    is_valid,
    keccak256,
    public_key_from_private,
    to_evm,
    to_hex,
)
from darktrail.tron.flows import (
    FundsTrace,
    balances,
    deposit_addresses,
    fee_funders,
    flow_graph,
    follow_funds,
    shared_fee_funders,
)
from darktrail.tron.transfers import (
    ACCOUNT_COLUMNS,
    SUN_PER_TRX,
    TRANSFER_COLUMNS,
    TRX_COLUMNS,
    USDT_CONTRACT,
    USDT_DECIMALS,
    TransferRecordError,
    read_accounts,
    read_trc20_events,
    read_trc20_transfers,
    read_trx_transfers,
    to_smallest_unit,
    token_amounts,
    token_units,
    transfer_from_log,
)

__all__ = [
    "ACCOUNT_COLUMNS",
    "PREFIX",
    "SUN_PER_TRX",
    "TRANSFER_COLUMNS",
    "TRANSFER_TOPIC",
    "TRX_COLUMNS",
    "USDT_CONTRACT",
    "USDT_DECIMALS",
    "FundsTrace",
    "TransferRecordError",
    "TronAddressError",
    "address_from_private_key",
    "address_from_public_key",
    "balances",
    "decode",
    "decompress_public_key",
    "deposit_addresses",
    "encode",
    "evm_checksum",
    "fee_funders",
    "find_addresses",
    "flow_graph",
    "follow_funds",
    "from_evm",
    "from_hex",
    "is_valid",
    "keccak256",
    "public_key_from_private",
    "read_accounts",
    "read_trc20_events",
    "read_trc20_transfers",
    "read_trx_transfers",
    "shared_fee_funders",
    "to_evm",
    "to_hex",
    "to_smallest_unit",
    "token_amounts",
    "token_units",
    "transfer_from_log",
]
