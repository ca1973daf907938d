import type { ReactElement, ReactNode } from 'react';
import { ResponsiveContainer } from 'recharts';
import { LoadStates } from './LoadStates';
import { Skeleton } from './Skeleton';

interface ChartFrameProps<Point> {
  /** Undefined while it loads. */
  data: Point[] | undefined;
  /** The chart's height; the placeholder and the empty view keep it, so the page does not jump. */
  height: number;
  emptyTitle: string;
  emptyDetail?: ReactNode;
  /** The chart, given its points once there is at least one; it fills the frame's width. */
  children: (data: Point[]) => ReactElement;
}

/** A chart at full width, with a placeholder of its size while it loads and a note when there is nothing to draw. */
export function ChartFrame<Point>({
  data,
  height,
  emptyTitle,
  emptyDetail,
  children,
}: ChartFrameProps<Point>) {
  return (
    <LoadStates
      items={data}
      placeholder={<Skeleton height={height} />}
      emptyTitle={emptyTitle}
      emptyDetail={emptyDetail}
      emptyHeight={height}
    >
      {(points) => (
        <ResponsiveContainer width="100%" height={height}>
          {children(points)}
        </ResponsiveContainer>
      )}
    </LoadStates>
  );
}
