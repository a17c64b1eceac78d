/** Small read-only walks over an htmlparser2 (domhandler) tree, shared by the HTML extractor's modules. */
import { type AnyNode, type Document, type Element, isTag, isText } from 'domhandler';

/** Every element under `root` in document order (`root` itself first when it is an element); iterative, so deep pages do not overflow the stack. */
export function elementsOf(root: Document | Element): Element[] {
  const out: Element[] = [];
  const stack: (Document | Element)[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as Document | Element;
    if (isTag(node)) out.push(node);
    for (let i = node.children.length - 1; i >= 0; i--) {
      const child = node.children[i];
      if (child !== undefined && isTag(child)) stack.push(child);
    }
  }
  return out;
}

/** The first element named `name` under `root`. */
export function findElement(root: Document | Element, name: string): Element | undefined {
  return elementsOf(root).find((el) => el.name === name);
}

/** All text under a node, as written (entities decoded by the parser). */
export function textOf(node: AnyNode | undefined): string {
  if (node === undefined) return '';
  if (isText(node)) return node.data;
  return isTag(node) ? node.children.map((c) => textOf(c)).join('') : '';
}

export function parentElement(el: Element): Element | undefined {
  const p = el.parent;
  return p !== null && isTag(p) ? p : undefined;
}

/** Nesting depth of the deepest element (the recursive walks need a bound). */
export function maxDepth(root: Document): number {
  let max = 0;
  const stack: [AnyNode, number][] = root.children.map((c) => [c, 1]);
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [AnyNode, number];
    if (!isTag(node)) continue;
    if (depth > max) max = depth;
    for (const child of node.children) stack.push([child, depth + 1]);
  }
  return max;
}
