/**
 * Reference data: corporate actions, adjustment factors and the security
 * master, and applying adjustment factors to prices.
 * @module
 */
export {
  Reference,
  CorporateActionsApi,
  AdjustmentFactorsApi,
  SecurityMasterApi,
  type ReferenceOptions,
} from './client.js';
export type {
  ReferenceTime,
  ReferenceSType,
  ReferenceFilterOptions,
  ReferenceRangeOptions,
  CorporateActionsOptions,
  CorporateActionsStreamOptions,
  AdjustmentFactorsOptions,
  SecurityMasterRangeOptions,
  SecurityMasterLastOptions,
} from './params.js';
export type * from './rows.js';
export type * from './codes.js';
export {
  PriceAdjustment,
  type PriceAdjustmentOptions,
  type PriceBar,
  type PlainBar,
  type AdjustedBar,
  type FactorRow,
} from './adjust.js';
