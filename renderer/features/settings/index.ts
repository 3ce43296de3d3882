/** The Settings screen: `import { SettingsScreen } from './features/settings'`. */
export { SettingsScreen } from './settings-screen';
