import Link from '../components/Link';

export function NotAllowed() {
  return (
    <section className="panel narrow" aria-labelledby="forbidden-heading">
      <h2 id="forbidden-heading">Not available</h2>
      <p>Only administrators manage the team and API tokens.</p>
      <p>
        <Link to="/">Back to the tickets</Link>
      </p>
    </section>
  );
}

export function NotFound() {
  return (
    <section className="panel narrow" aria-labelledby="notfound-heading">
      <h2 id="notfound-heading">Page not found</h2>
      <p>
        <Link to="/">Go to the start page</Link>
      </p>
    </section>
  );
}
