import { highlightYamlLine } from './highlightYaml';

/** Read-only YAML with light highlighting. */
export function YamlView({ yaml, label }: { yaml: string; label: string }) {
  const lines = yaml.replace(/\n$/, '').split('\n');
  return (
    <pre className="yaml-view" data-object={label}>
      {lines.map((line, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: lines of a static text have no other identity.
        <span className="yaml-line" key={index}>
          {highlightYamlLine(line).map((token, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: tokens of one line, in order.
            <span className={`yaml-${token.kind}`} key={i}>
              {token.text}
            </span>
          ))}
          {'\n'}
        </span>
      ))}
    </pre>
  );
}
