import { ClipboardCopy, FileDown, FileJson, PartyPopper, RotateCcw, ShieldAlert } from 'lucide-react';
import { useState } from 'react';
import { summaryMarkdown, type SetupSummary } from '../../main/core/setup-summary.js';
import type { ApiFailure } from '../../main/ipc/contract.js';
import { api } from '../api';
import type { StepProps } from '../App';
import { setupSummary, verified } from '../state';
import { CopyButton, FailureNotice, Notice, Spinner, useCopier } from '../ui';

/** The summary rows on screen: the same facts as the Markdown and JSON exports, and never a secret. */
export function summaryRows(summary: SetupSummary | undefined): { label: string; value: string; testId: string }[] {
  if (summary === undefined) return [];
  const rows: { label: string; value: string; testId: string }[] = [
    { label: 'Instance ID', value: summary.instanceId, testId: 'summary-instance-id' },
  ];
  if (summary.instanceName !== '')
    rows.push({ label: 'Instance name', value: summary.instanceName, testId: 'summary-name' });
  rows.push({ label: 'Element', value: summary.elementKey, testId: 'summary-element' });
  if (summary.eventsUrl !== '') {
    rows.push({ label: 'Encoded ID', value: summary.encodedId, testId: 'summary-encoded-id' });
    rows.push({ label: 'Events URL', value: summary.eventsUrl, testId: 'summary-events-url' });
  } else {
    rows.push({ label: 'Events', value: 'by polling: no events URL, no Freshdesk rule', testId: 'summary-events' });
  }
  if (summary.callbackUrl !== '') {
    rows.push({ label: 'Callback URL', value: summary.callbackUrl, testId: 'summary-callback-url' });
  }
  rows.push({ label: 'API base', value: summary.apiBase, testId: 'summary-api-base' });
  if (summary.rule !== undefined) {
    rows.push({
      label: 'Freshdesk rule',
      value: `${summary.rule.name} (ID ${summary.rule.id}, ${summary.rule.created ? 'created' : 'reused'})`,
      testId: 'summary-rule',
    });
  }
  return rows;
}

type ExportState =
  | { status: 'idle' }
  | { status: 'busy'; format: Format }
  | { status: 'saved'; format: Format; path: string }
  | { status: 'cancelled' }
  | { status: 'error'; error: ApiFailure };

type Format = 'markdown' | 'json';

export function Done({ state, actions }: StepProps) {
  const copier = useCopier();
  const [exported, setExported] = useState<ExportState>({ status: 'idle' });
  const summary = setupSummary(state);
  const rows = summaryRows(summary);
  const flowing = verified(state);

  const exportAs = async (format: Format) => {
    if (summary === undefined || exported.status === 'busy') return;
    setExported({ status: 'busy', format });
    const result = await api.exportSummary({ format, summary });
    if (!result.ok) setExported({ status: 'error', error: result.error });
    else if (result.value.saved) setExported({ status: 'saved', format, path: result.value.path });
    else setExported({ status: 'cancelled' });
  };

  return (
    <section className="step" data-testid="step-done" aria-labelledby="done-title">
      {flowing ? (
        <h2 id="done-title" tabIndex={-1} className="with-icon" data-testid="done-heading">
          <PartyPopper size={24} aria-hidden="true" className="accent" />
          Events are flowing
        </h2>
      ) : (
        <h2 id="done-title" tabIndex={-1} className="with-icon" data-testid="done-heading">
          <ShieldAlert size={24} aria-hidden="true" className="warning-icon" />
          Setup saved — not verified yet
        </h2>
      )}
      {flowing ? (
        <p className="lead">
          Cloud Elements received an event for this instance while you watched on the Verify step. It forwards each
          event to your callback URL.
        </p>
      ) : (
        <div className="lead">
          <p>
            Everything below is set up, but no event has been seen arriving yet.{' '}
            <button type="button" className="link-button link-button--inline" onClick={() => actions.goTo('verify')}>
              Go back to Verify
            </button>{' '}
            to send a test event and watch for it.
          </p>
        </div>
      )}

      <dl className="summary" data-testid="summary">
        {rows.map((row) => (
          <div key={row.testId} className="summary__row">
            <dt>{row.label}</dt>
            <dd className="mono" data-testid={row.testId}>
              {row.value}
            </dd>
          </div>
        ))}
      </dl>
      {summary === undefined ? (
        <Notice tone="warning">
          <p>Nothing to summarize yet: go back and choose an instance.</p>
        </Notice>
      ) : null}

      <div className="actions">
        <CopyButton
          copier={copier}
          copyKey="summary"
          what="summary"
          text={summary === undefined ? '' : summaryMarkdown(summary)}
          visibleLabel="Copy summary"
        />
        <button
          type="button"
          className="button button--secondary"
          onClick={() => void exportAs('markdown')}
          disabled={summary === undefined || exported.status === 'busy'}
        >
          {exported.status === 'busy' && exported.format === 'markdown' ? (
            <Spinner label="Saving…" />
          ) : (
            <>
              <FileDown size={16} aria-hidden="true" />
              Export Markdown
            </>
          )}
        </button>
        <button
          type="button"
          className="button button--secondary"
          onClick={() => void exportAs('json')}
          disabled={summary === undefined || exported.status === 'busy'}
        >
          {exported.status === 'busy' && exported.format === 'json' ? (
            <Spinner label="Saving…" />
          ) : (
            <>
              <FileJson size={16} aria-hidden="true" />
              Export JSON
            </>
          )}
        </button>
        <button type="button" className="button button--ghost" onClick={actions.setUpAnother}>
          <RotateCcw size={16} aria-hidden="true" />
          Set up another
        </button>
      </div>
      {exported.status === 'saved' ? (
        <p className="ok-line" role="status" data-testid="export-result">
          Saved the {exported.format === 'markdown' ? 'Markdown' : 'JSON'} summary to{' '}
          <span className="mono">{exported.path}</span>
        </p>
      ) : null}
      {exported.status === 'error' ? (
        <FailureNotice title="The summary was not saved" error={exported.error} testId="export-error" />
      ) : null}
      <p className="muted with-icon">
        <ClipboardCopy size={16} aria-hidden="true" />
        The summary and the exports have no secrets in them: keep them with your integration notes.
      </p>
    </section>
  );
}
