/**
 * Settings: who is at the console, the look, the watch's schedule and notifications, where the data
 * lives and what the keychain holds. One component per section, listed once below: a new section
 * (say, each instance's shared registry) is one more component and one more line.
 */
import type { ComponentType } from 'react';
import { AppearanceSection } from './appearance-section';
import { DataSection } from './data-section';
import { KeychainSection } from './keychain-section';
import { NotificationsSection } from './notifications-section';
import { OperatorSection } from './operator-section';
import { WatchSection } from './watch-section';
import './settings.css';

/** Each section: its heading's id (also its anchor) and title, and the component that fills it. */
const SECTIONS: readonly { id: string; title: string; Section: ComponentType }[] = [
  { id: 'settings-operator', title: 'Operator', Section: OperatorSection },
  { id: 'settings-appearance', title: 'Appearance', Section: AppearanceSection },
  { id: 'settings-watch', title: 'Watch schedule', Section: WatchSection },
  { id: 'settings-notifications', title: 'Notifications', Section: NotificationsSection },
  { id: 'settings-data', title: 'Data folder', Section: DataSection },
  { id: 'settings-keychain', title: 'Keychain', Section: KeychainSection },
];

export function SettingsScreen() {
  return (
    <section className="screen settings-screen" aria-labelledby="settings-heading">
      <header className="screen-header">
        <h1 id="settings-heading">Settings</h1>
        <span className="muted">Kept in the settings file every shell on this data folder reads.</span>
      </header>
      {SECTIONS.map(({ id, title, Section }) => (
        <section key={id} className="panel settings-section" aria-labelledby={id}>
          <h2 id={id}>{title}</h2>
          <Section />
        </section>
      ))}
    </section>
  );
}
