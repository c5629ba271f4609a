// A group of AppApi method handlers whose module loads on the first call. The host keeps heavy
// libraries (the Kubernetes client behind the dashboard's actions) out of memory until used.

type Methods<T> = { [K in keyof T]: (input: never) => Promise<unknown> };

export function lazyMethods<T extends Methods<T>>(
  names: readonly (keyof T & string)[],
  load: () => Promise<T>,
): T {
  let loaded: Promise<T> | undefined;
  const call =
    (name: keyof T & string) =>
    async (input: never): Promise<unknown> => {
      loaded ??= load();
      return (await loaded)[name](input);
    };
  return Object.fromEntries(names.map((name) => [name, call(name)])) as T;
}
