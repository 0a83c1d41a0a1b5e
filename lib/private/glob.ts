/** Whether a Fargate namespace selector (which accepts `*` and `?` wildcards) matches a namespace. */
export function namespaceMatches(pattern: string, namespace: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return re.test(namespace);
}
