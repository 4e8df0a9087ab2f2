/**
 * A table of any length that renders only the rows in view (@tanstack/react-virtual), and still
 * reads as the whole table: a real <table> with its header (sticky while the rows scroll), the
 * number of rows in `aria-rowcount` and each row's place in `aria-rowindex`. Rows not in view are
 * stood in for by one spacer above and one below, hidden from assistive tech.
 *
 * Keyboard: the table is one stop in the tab order (its focused row, with that row's controls);
 * arrows move between rows, Home / End to the first and last, Page Up / Down by a screenful, and
 * the row moved to is scrolled into view and focused even if it was not rendered. Enter runs the
 * row's default action; where rows have a detail, → opens it under the row and ← or Escape close it.
 */
import { defaultRangeExtractor, useVirtualizer, type Range } from '@tanstack/react-virtual';
import {
  createContext,
  memo,
  useCallback,
  useContext,
  useEffect,
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type FocusEvent,
  type KeyboardEvent,
  type ReactNode,
} from 'react';
import { moveRow, rowMoveOf } from './row-navigation';

export interface Column {
  /** Names the column's class (`col-<key>`): its width lives in the stylesheet. */
  readonly key: string;
  readonly header: ReactNode;
}

/** A row's detail: which one is open, what it shows, and how it opens and closes. */
export interface RowDetail<T> {
  readonly openKey: string | null;
  readonly render: (row: T) => ReactNode;
  readonly onOpenChange: (key: string | null) => void;
}

interface VirtualTableProps<T> {
  label: string;
  /** On the <table>, besides `virtual-table`. */
  className?: string;
  /** On the scroll area, besides `table-scroll`: its height decides how many rows render. */
  scrollClassName?: string;
  columns: readonly Column[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  /** The row's cells; a memoized component keeps scrolling cheap. */
  renderCells: (row: T) => ReactNode;
  rowClassName?: (row: T) => string | undefined;
  /** Rows are measured once drawn; this is the guess for those not drawn yet. */
  estimateRowHeight?: number;
  /** Enter on a row (not on a control inside it). */
  onEnter?: (row: T) => void;
  detail?: RowDetail<T>;
  /** Brings this row into view and focuses it (a notification pointed at it). */
  focusKey?: string | null;
}

/** Must match `.virtual-table thead th { height }` in the stylesheet: the rows scroll under it. */
const HEAD_HEIGHT = 34;
const OVERSCAN = 8;

interface RowState {
  /** This row holds the table's tab stop: its controls are in the tab order, the others' are not. */
  readonly active: boolean;
  /** Set where rows have a detail. */
  readonly detail?: { readonly open: boolean; readonly id: string; readonly toggle: () => void };
}

const RowContext = createContext<RowState>({ active: true });

/** For a control inside a row: in the tab order only in the focused row (one stop per table). */
export function useRowTabIndex(): 0 | -1 {
  return useContext(RowContext).active ? 0 : -1;
}

/** A cell's content with the row's "Details" button before it, where the table has details. */
export function WithDetailToggle({ children }: { children: ReactNode }) {
  return (
    <div className="with-detail-toggle">
      <DetailToggle />
      <div>{children}</div>
    </div>
  );
}

/** The row's "Details" disclosure button, where the table has details. */
function DetailToggle() {
  const { detail, active } = useContext(RowContext);
  if (!detail) return null;
  return (
    <button
      type="button"
      className="detail-toggle"
      aria-expanded={detail.open}
      aria-controls={detail.open ? detail.id : undefined}
      aria-keyshortcuts={detail.open ? 'ArrowLeft' : 'ArrowRight'}
      title={detail.open ? 'Hide details (←)' : 'Details (→)'}
      tabIndex={active ? 0 : -1}
      onClick={detail.toggle}
    >
      <span className="sr-only">Details</span>
    </button>
  );
}

type Item =
  { readonly kind: 'row'; readonly index: number } | { readonly kind: 'detail'; readonly index: number };

export function VirtualTable<T>({
  label,
  className,
  scrollClassName,
  columns,
  rows,
  rowKey,
  renderCells,
  rowClassName,
  estimateRowHeight = 48,
  onEnter,
  detail,
  focusKey = null,
}: VirtualTableProps<T>) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  const detailId = useId();
  const indexByKey = useMemo(() => new Map(rows.map((row, i) => [rowKey(row), i])), [rows, rowKey]);

  // The tab stop: the row focused last, else the row a notification pointed at, else the first.
  const [chosenKey, setChosenKey] = useState<string | null>(focusKey);
  const [seenFocusKey, setSeenFocusKey] = useState(focusKey);
  if (focusKey !== seenFocusKey) {
    setSeenFocusKey(focusKey);
    if (focusKey !== null) setChosenKey(focusKey);
  }
  const chosen = chosenKey === null ? undefined : indexByKey.get(chosenKey);
  const activeIndex = rows.length === 0 ? -1 : (chosen ?? 0);

  // A row's detail is an item of its own, right under the row.
  const openKey = detail?.openKey ?? null;
  const openIndex = openKey === null ? -1 : (indexByKey.get(openKey) ?? -1);
  const count = rows.length + (openIndex >= 0 ? 1 : 0);
  const itemAt = useCallback(
    (v: number): Item =>
      openIndex < 0 || v <= openIndex
        ? { kind: 'row', index: v }
        : v === openIndex + 1
          ? { kind: 'detail', index: openIndex }
          : { kind: 'row', index: v - 1 },
    [openIndex],
  );
  const itemOf = useCallback(
    (index: number) => (openIndex >= 0 && index > openIndex ? index + 1 : index),
    [openIndex],
  );

  const activeItem = activeIndex < 0 ? -1 : itemOf(activeIndex);
  // The focused row stays rendered wherever the view scrolls: focus is never lost to a recycle.
  const rangeExtractor = useCallback(
    (range: Range) => {
      const indexes = defaultRangeExtractor(range);
      if (activeItem < 0 || indexes.includes(activeItem)) return indexes;
      return [...indexes, activeItem].sort((a, b) => a - b);
    },
    [activeItem],
  );

  // No React Compiler here: the virtualizer re-renders this component itself when its range moves.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => estimateRowHeight,
    getItemKey: (v) => {
      const item = itemAt(v);
      const key = rowKey(rows[item.index]!);
      return item.kind === 'row' ? key : `${key}\u0000detail`;
    },
    overscan: OVERSCAN,
    scrollMargin: HEAD_HEIGHT,
    scrollPaddingStart: HEAD_HEIGHT,
    rangeExtractor,
    useFlushSync: false,
  });

  // Focus follows the keyboard to a row that may only now be rendered.
  const pendingFocus = useRef<string | null>(null);
  useLayoutEffect(() => {
    const key = pendingFocus.current;
    if (key === null || !bodyRef.current) return;
    const row = [...bodyRef.current.rows].find((r) => r.dataset['key'] === key);
    if (!row) return;
    pendingFocus.current = null;
    if (!row.closest('[inert]')) row.focus({ preventScroll: true });
  });

  const goTo = useCallback(
    (index: number, align: 'auto' | 'center' = 'auto') => {
      const row = rows[index];
      if (row === undefined) return;
      const key = rowKey(row);
      setChosenKey(key);
      pendingFocus.current = key;
      virtualizer.scrollToIndex(itemOf(index), { align });
    },
    [rows, rowKey, itemOf, virtualizer],
  );

  // A notification pointed at a row: bring it into view and focus it, once its list is here.
  const broughtForward = useRef<string | null>(null);
  useEffect(() => {
    if (focusKey === null || broughtForward.current === focusKey) return;
    const index = indexByKey.get(focusKey);
    if (index === undefined) return;
    broughtForward.current = focusKey;
    goTo(index, 'center');
  }, [focusKey, indexByKey, goTo]);

  // An opened detail comes into view under its row (as far as the view allows).
  useEffect(() => {
    if (openKey !== null) document.getElementById(detailId)?.scrollIntoView({ block: 'nearest' });
  }, [openKey, detailId]);

  function onKeyDown(event: KeyboardEvent<HTMLTableSectionElement>) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target as HTMLElement;
    const rowElement = target.closest<HTMLTableRowElement>('tr[data-key]');
    const index = rowElement ? indexByKey.get(rowElement.dataset['key'] ?? '') : undefined;
    if (!rowElement || index === undefined) {
      // Inside an open detail: Escape closes it and goes back to its row.
      if (event.key === 'Escape' && openIndex >= 0 && detail) {
        event.preventDefault();
        detail.onOpenChange(null);
        goTo(openIndex);
      }
      return;
    }
    const onRow = target === rowElement;
    const move = rowMoveOf(event.key);
    if (move) {
      event.preventDefault();
      const scroller = scrollRef.current;
      const rowHeight = count > 0 ? virtualizer.getTotalSize() / count : estimateRowHeight;
      const page = scroller ? Math.floor((scroller.clientHeight - HEAD_HEIGHT) / rowHeight) - 1 : 10;
      goTo(moveRow(index, rows.length, move, page));
      return;
    }
    if (!onRow) return;
    const key = rowElement.dataset['key'] ?? null;
    if (event.key === 'Enter' && onEnter) {
      event.preventDefault();
      onEnter(rows[index]!);
    } else if (detail && event.key === 'ArrowRight' && openKey !== key) {
      event.preventDefault();
      detail.onOpenChange(key);
    } else if (detail && (event.key === 'ArrowLeft' || event.key === 'Escape') && openKey === key) {
      event.preventDefault();
      detail.onOpenChange(null);
    }
  }

  function onFocus(event: FocusEvent<HTMLTableSectionElement>) {
    // Focus that lands in a row by other means (a click, a dialog giving it back) moves the tab stop.
    const key = (event.target as HTMLElement).closest<HTMLElement>('tr[data-key]')?.dataset['key'];
    if (key !== undefined && key !== chosenKey) setChosenKey(key);
  }

  const items = virtualizer.getVirtualItems();
  const toggleDetail = detail?.onOpenChange;
  const body: ReactNode[] = [];
  let drawnTo = HEAD_HEIGHT;
  for (const virtual of items) {
    if (virtual.start > drawnTo) {
      body.push(
        <Spacer key={`gap-${virtual.index}`} height={virtual.start - drawnTo} columns={columns.length} />,
      );
    }
    drawnTo = virtual.end;
    const item = itemAt(virtual.index);
    const row = rows[item.index]!;
    const key = rowKey(row);
    if (item.kind === 'detail') {
      body.push(
        <tr
          key={`${key}\u0000detail`}
          id={detailId}
          ref={virtualizer.measureElement}
          data-index={virtual.index}
          aria-rowindex={virtual.index + 2}
          className="detail-row"
        >
          <td colSpan={columns.length}>{detail?.render(row)}</td>
        </tr>,
      );
      continue;
    }
    const active = item.index === activeIndex;
    const open = item.index === openIndex;
    body.push(
      <tr
        key={key}
        ref={virtualizer.measureElement}
        data-index={virtual.index}
        data-key={key}
        aria-rowindex={virtual.index + 2}
        aria-current={key === focusKey ? 'true' : undefined}
        tabIndex={active ? 0 : -1}
        className={rowClassName?.(row)}
      >
        <RowCells
          row={row}
          rowKey={key}
          active={active}
          open={open}
          detailId={detailId}
          onToggle={toggleDetail}
          render={renderCells}
        />
      </tr>,
    );
  }
  const listEnd = HEAD_HEIGHT + virtualizer.getTotalSize();
  if (listEnd > drawnTo) body.push(<Spacer key="end" height={listEnd - drawnTo} columns={columns.length} />);

  return (
    <div ref={scrollRef} className={scrollClassName ? `table-scroll ${scrollClassName}` : 'table-scroll'}>
      <table
        aria-label={label}
        aria-rowcount={count + 1}
        className={className ? `virtual-table ${className}` : 'virtual-table'}
      >
        <colgroup>
          {columns.map((c) => (
            <col key={c.key} className={`col-${c.key}`} />
          ))}
        </colgroup>
        <thead>
          <tr aria-rowindex={1}>
            {columns.map((c) => (
              <th key={c.key} scope="col">
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody ref={bodyRef} onKeyDown={onKeyDown} onFocus={onFocus}>
          {body}
        </tbody>
      </table>
    </div>
  );
}

interface RowCellsProps<T> {
  row: T;
  rowKey: string;
  active: boolean;
  open: boolean;
  detailId: string;
  /** Where rows have a detail. */
  onToggle: ((key: string | null) => void) | undefined;
  render: (row: T) => ReactNode;
}

/**
 * A row's cells under its state (tab stop, detail): memoized, so scrolling renders only the rows
 * that come into view, and moving the focus re-renders only the two rows it moves between.
 */
const RowCells = memo(function RowCells<T>({
  row,
  rowKey,
  active,
  open,
  detailId,
  onToggle,
  render,
}: RowCellsProps<T>) {
  const state = useMemo<RowState>(
    () =>
      onToggle
        ? { active, detail: { open, id: detailId, toggle: () => onToggle(open ? null : rowKey) } }
        : { active },
    [active, open, detailId, onToggle, rowKey],
  );
  return <RowContext.Provider value={state}>{render(row)}</RowContext.Provider>;
}) as <T>(props: RowCellsProps<T>) => ReactNode;

/** Stands in for rows not rendered: their height, nothing to read. */
function Spacer({ height, columns }: { height: number; columns: number }) {
  return (
    <tr aria-hidden="true" className="spacer">
      <td colSpan={columns} style={{ height }} />
    </tr>
  );
}
