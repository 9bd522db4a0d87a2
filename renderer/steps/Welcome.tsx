import { Building, KeyRound, Link, ShieldCheck } from 'lucide-react';

const NEEDS = [
  {
    icon: KeyRound,
    title: 'Cloud Elements secrets',
    text: 'Your user secret and organization secret (SAP Open Connectors works the same way).',
  },
  {
    icon: Building,
    title: 'Your Freshdesk account',
    text: 'The subdomain (acme in acme.freshdesk.com) and an API key, or a username and password.',
  },
  {
    icon: Link,
    title: "Your app's callback URL",
    text: 'The https address where Cloud Elements will POST the ticket events it receives.',
  },
] as const;

export function Welcome() {
  return (
    <section className="step" data-testid="step-welcome" aria-labelledby="welcome-title">
      <h2 id="welcome-title" tabIndex={-1}>
        Send Freshdesk ticket events to your app
      </h2>
      <p className="lead">
        This assistant creates a Cloud Elements Freshdesk instance, builds its events URL (base64 and all) and guides
        you through the Freshdesk rule that posts ticket updates to it. No curl, no encoding websites.
      </p>

      <h3>What you need</h3>
      <ul className="needs">
        {NEEDS.map(({ icon: Icon, title, text }) => (
          <li key={title} className="needs__item">
            <span className="needs__icon" aria-hidden="true">
              <Icon size={20} />
            </span>
            <span>
              <strong>{title}</strong>
              <span className="needs__text">{text}</span>
            </span>
          </li>
        ))}
      </ul>

      <p className="muted with-icon">
        <ShieldCheck size={16} aria-hidden="true" />
        Already have an instance? On the Instance step you can type or paste its ID instead of creating a new one.
      </p>
    </section>
  );
}
