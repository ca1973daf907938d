import type { ReactNode } from 'react';
import { EmptyState } from './EmptyState';

interface LoadStatesProps<Item> {
  /** Undefined while it loads. */
  items: Item[] | undefined;
  /** Stands in while the items load, the size of what will arrive. */
  placeholder: ReactNode;
  /** What the view says when there are no items. */
  emptyTitle: string;
  emptyDetail?: ReactNode;
  /** Keeps the empty view as tall as the view it stands in for. */
  emptyHeight?: number;
  /** The view itself, given the items once there is at least one. */
  children: (items: Item[]) => ReactNode;
}

/** A view's three states: loading, loaded with nothing to show, and loaded. */
export function LoadStates<Item>({
  items,
  placeholder,
  emptyTitle,
  emptyDetail,
  emptyHeight,
  children,
}: LoadStatesProps<Item>) {
  if (items === undefined) return placeholder;
  if (items.length === 0) {
    return (
      <EmptyState title={emptyTitle} height={emptyHeight}>
        {emptyDetail}
      </EmptyState>
    );
  }
  return children(items);
}
