export {
  escapeFieldValue,
  type FieldRequirement,
  type FieldSelector,
  parseFieldSelector,
} from './fieldSelector';
export {
  type LabelOperator,
  type LabelRequirement,
  type LabelSelector,
  labelSelectorFromObject,
  parseLabelSelector,
} from './labelSelector';
export { assertSupportedFieldSelector, selectableFields, supportedFieldLabels } from './selectableFields';
export { SelectorParseError } from './selectorParseError';
