/** Joins class names, skipping the falsy ones: `cx(styles.row, selected && styles.selected)`. */
export const cx = (...names: Array<string | false | null | undefined>) => names.filter(Boolean).join(' ');
