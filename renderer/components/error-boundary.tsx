/** Keeps a crash in one screen from blanking the console: shows what broke and a way back. */
import { Component, type ErrorInfo, type ReactNode } from 'react';

interface State {
  error: Error | null;
}

export class ErrorBoundary extends Component<{ children: ReactNode; resetKey: string }, State> {
  state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  componentDidUpdate(prev: { resetKey: string }): void {
    if (prev.resetKey !== this.props.resetKey && this.state.error) this.setState({ error: null });
  }

  componentDidCatch(_error: Error, _info: ErrorInfo): void {
    // Nothing is sent anywhere: the message below is the whole report.
  }

  render(): ReactNode {
    if (!this.state.error) return this.props.children;
    return (
      <section className="screen" role="alert">
        <h1>This screen failed</h1>
        <p>{this.state.error.message}</p>
        <p>Go to another screen from the navigation, or reload the page.</p>
      </section>
    );
  }
}
