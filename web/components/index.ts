/** The shared component kit of the console and the portal. */
export { Badge, StatusPill, type Tone } from './badge';
export { Button, ButtonAnchor, ButtonLink, type ButtonProps } from './button';
export { CopyButton } from './copy-button';
export { ConfirmDialog, Dialog } from './dialog';
export { Checkbox, DateField, Select, TextArea, TextField } from './field';
export { Kbd } from './kbd';
export { Notice } from './notice';
export { DescriptionList, PageHeader, Section, Stack } from './layout';
export { Pagination } from './pagination';
export { EmptyState, ErrorState, Loading, Skeleton } from './states';
export { Table, type Column } from './table';
export { Tabs, type Tab } from './tabs';
export { Time } from './time';
export { ToastProvider, useToast } from './toast';
