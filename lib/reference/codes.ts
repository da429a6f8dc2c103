/**
 * Code values of the reference data. Each type lists the codes known today;
 * a code the API adds later arrives as its string, never as an error.
 * @module
 */

/** Any other code string, kept as sent (the `string & {}` keeps editor completion of the known codes). */
export type OtherCode = string & {};

/** `event_action`: `C` cancelled, `D` deleted, `I` inserted, `P` payment details cancelled by the issuer, `Q` payment details deleted by the supplier, `U` updated. */
export type ActionCode = 'C' | 'D' | 'I' | 'P' | 'Q' | 'U' | OtherCode;

/** Adjustment factor `status`: `A` apply, `R` rescind, `P` pending. */
export type AdjustmentStatusCode = 'A' | 'R' | 'P' | OtherCode;

/** `fraction` handling: `C` cash, `D` round down, `F` fractions, `U` round up. */
export type FractionCode = 'C' | 'D' | 'F' | 'U' | OtherCode;

/**
 * Dividend `frequency`: `ANL` annual, `BIM` bi-monthly, `DLY` daily, `FNL` final, `INT` interim,
 * `INTONMAT`/`ITM` interest on maturity, `IRG` irregular, `MNT` monthly, `QTR` quarterly,
 * `SMA` semi-annual, `TRM` trimesterly, `UN` unspecified, `WKL` weekly.
 */
export type FrequencyCode =
  | 'ANL' | 'BIM' | 'DLY' | 'FNL' | 'INT' | 'INTONMAT' | 'IRG' | 'ITM' | 'MNT' | 'QTR' | 'SMA' | 'TRM' | 'UN' | 'WKL'
  | OtherCode;

/** `global_status` of an issuer: `A` active, `D` in default, `I` inactive. */
export type GlobalStatusCode = 'A' | 'D' | 'I' | OtherCode;

/** `listing_source`: `M` main listing, `S` secondary listing. */
export type ListingSourceCode = 'M' | 'S' | OtherCode;

/**
 * `listing_status`: `D` delisted, `G` reporting-purposes-only listed, `H` RPO delisted, `I` RPO suspended,
 * `L` listed, `N` new listing, `P` listing pending, `R` resumed, `S` suspended, `T` trading-permitted listed,
 * `U` TP delisted, `V` TP suspended.
 */
export type ListingStatusCode = 'D' | 'G' | 'H' | 'I' | 'L' | 'N' | 'P' | 'R' | 'S' | 'T' | 'U' | 'V' | OtherCode;

/** `mand_volu_flag`: `M` mandatory, `V` voluntary, `W` mandatory and/or voluntary. */
export type MandVoluCode = 'M' | 'V' | 'W' | OtherCode;

/** `outturn_style`: `ADEX` additional for existing securities, `NEWO` new for old securities. */
export type OutturnStyleCode = 'ADEX' | 'NEWO' | OtherCode;

/** `payment_type`: `B` cash and stock, `C` cash, `D` dissenters' rights, `S` stock, `T` to be announced. */
export type PaymentTypeCode = 'B' | 'C' | 'D' | 'S' | 'T' | OtherCode;

/**
 * Security types, e.g. `EQS` equity shares, `ETF` exchange traded fund, `PRF` preference share,
 * `DR` depository receipts, `WAR` warrants, `BND` bond, `UNT` units (the request's `securityTypes` too).
 */
export type SecurityTypeCode =
  | 'BND' | 'BSW' | 'CDA' | 'CDI' | 'CN' | 'CVR' | 'DR' | 'DRT' | 'DST' | 'EQS' | 'ETC' | 'ETF' | 'LOA' | 'MF'
  | 'PFS' | 'PRF' | 'PRL' | 'RCP' | 'RDR' | 'RDS' | 'SP' | 'SRT' | 'STL' | 'STP' | 'TRT' | 'TSS' | 'UNT' | 'WAR'
  | 'WD' | 'WIS'
  | OtherCode;

/** `voting` rights: `L` limited, `M` multiple, `N` none, `V` voting. */
export type VotingCode = 'L' | 'M' | 'N' | 'V' | OtherCode;

/**
 * Corporate action event codes, e.g. `DIV` dividend, `FSPLT` forward split, `RSPLT` reverse split,
 * `SD` sub-division, `CONSD` consolidation, `SOFF` spin-off, `MRGR` merger, `TKOVR` takeover,
 * `LSTAT` listing status, `ISCHG` issuer name change, `SHOCH` shares outstanding change.
 */
export type EventCode =
  | 'AGM' | 'ANN' | 'ARR' | 'ASSM' | 'BB' | 'BBCC' | 'BBEC' | 'BKRP' | 'BON' | 'BR' | 'CALL' | 'CAPRD' | 'CLSAC'
  | 'CONSD' | 'CONV' | 'CTX' | 'CURRD' | 'DIST' | 'DIV' | 'DIVEB' | 'DIVRC' | 'DMRGR' | 'DRCHG' | 'DRIP' | 'DVST'
  | 'ENT' | 'FRANK' | 'FSPLT' | 'FTT' | 'FYCHG' | 'ICC' | 'INCHG' | 'ISCHG' | 'LCC' | 'LIQ' | 'LSTAT' | 'LTCHG'
  | 'MKCHG' | 'MRGR' | 'NLIST' | 'ODDLT' | 'PID' | 'PO' | 'PRCHG' | 'PRF' | 'PVRD' | 'RCAP' | 'RD' | 'REDEM'
  | 'RSPLT' | 'RTS' | 'SCCHG' | 'SCSWP' | 'SD' | 'SDCHG' | 'SECRC' | 'SHOCH' | 'SOFF' | 'TKOVR' | 'WAREX'
  | OtherCode;

/** Event subtype codes, e.g. `CONSD`, `AGM`, `EGM`, `CAPGAIN`, `MAT` (many; kept as sent). */
export type EventSubtypeCode = string;

/** ISO 3166-1 alpha-2 country code, plus `AA` supranational, `EU`, `XG`/`XH`/`XZ` stock connects, `ZZ` unclassified. */
export type CountryCode = string;

/** ISO 4217 currency code, plus sub-units such as `GBX` (pence) and `USX` (cents). */
export type CurrencyCode = string;
