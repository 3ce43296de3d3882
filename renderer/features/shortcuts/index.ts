export { useAppShortcuts } from './use-app-shortcuts';
export { ShortcutHelp } from './shortcut-help';
