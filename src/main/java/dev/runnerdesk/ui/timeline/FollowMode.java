package dev.runnerdesk.ui.timeline;

import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.EventQuery;
import dev.runnerdesk.ui.common.Notifier;
import dev.runnerdesk.ui.connections.LiveEvents;
import javafx.collections.ListChangeListener;
import javafx.scene.Node;
import javafx.scene.control.IndexedCell;
import javafx.scene.control.TableView;
import javafx.scene.control.skin.VirtualFlow;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The timeline's live side: new events that match the filter go in at the top while the person is at the top with
 * Follow on; scrolled away, they wait behind the jump button and the rows stay put. Scrolling near the end of what is
 * loaded asks for the next page. Events that arrive while a first page loads wait for it.
 */
final class FollowMode {
    private static final System.Logger LOG = System.getLogger(FollowMode.class.getName());
    /** Load the next page when the last visible row is this close to the end of what is loaded. */
    private static final int PREFETCH_ROWS = 50;

    private final TimelineModel model;
    private final TableView<AuditEvent> table;
    private final LoadedChain chain;
    private final LiveEvents live;
    private final BooleanSupplier firstPageLoading;
    private final Runnable reloadNewest;
    private final Runnable loadMore;
    /** Live events that arrived while the first page loaded. */
    private final List<AuditEvent> early = new ArrayList<>();
    private VirtualFlow<?> flow;

    /**
     * {@code firstPageLoading}: live events wait while it holds; {@code reloadNewest} loads the newest page (the way
     * back from an anchored seq); {@code loadMore} the page after what is loaded.
     */
    FollowMode(TimelineModel model, TableView<AuditEvent> table, LoadedChain chain, LiveEvents live,
               BooleanSupplier firstPageLoading, Runnable reloadNewest, Runnable loadMore) {
        this.model = model;
        this.table = table;
        this.chain = chain;
        this.live = live;
        this.firstPageLoading = firstPageLoading;
        this.reloadNewest = reloadNewest;
        this.loadMore = loadMore;
        table.skinProperty().addListener((o, was, skin) -> attachFlow());
        model.events.addListener((ListChangeListener<AuditEvent>) c -> scrolled());
        model.followWanted.addListener((o, was, on) -> {
            if (on) {
                jumpToLatest();
            }
        });
    }

    /** Follows the backend's live events. */
    void start() {
        live.start(this::onLive, model.liveNote::set,
                e -> LOG.log(System.Logger.Level.INFO, "no live events for the timeline: " + Notifier.describe(e)));
    }

    void stop() {
        live.stop();
        model.liveNote.set("");
    }

    /** A first page starts loading: what arrived for the one before is dropped. */
    void firstPageLoading() {
        early.clear();
    }

    /**
     * The first page's load was cancelled: live events no longer wait for it. What arrived meanwhile goes to what is
     * shown, as if it had arrived now (those that do not match what is shown are dropped).
     */
    void firstPageCancelled() {
        List<AuditEvent> arrived = new ArrayList<>(early);
        early.clear();
        arrived.forEach(this::onLive);
    }

    /** The first page is shown: go to its top (or to the anchored event), then add what arrived meanwhile. */
    void firstPageShown() {
        if (model.anchorSeq.get() > 0) {
            selectAnchor();
        } else {
            table.scrollTo(0);
        }
        List<AuditEvent> arrived = new ArrayList<>(early);
        early.clear();
        arrived.forEach(this::onLive);
    }

    private void onLive(AuditEvent e) {
        if (firstPageLoading.getAsBoolean()) {
            early.add(e);
            return;
        }
        EventQuery shown = model.shownQuery.get();
        if (shown == null || !shown.matches(e)) {
            return;
        }
        long newest = !model.pending.isEmpty() ? model.pending.get(model.pending.size() - 1).seq()
                : model.newest().map(AuditEvent::seq).orElse(0L);
        if (e.seq() <= newest) {
            return; // already in the page that loaded
        }
        model.total.set(model.total.get() + 1);
        if (model.following()) {
            insertAtTop(List.of(e));
        } else {
            model.pending.add(e);
            model.pendingCount.set(model.pending.size());
        }
    }

    /** Puts events (ascending) above the newest loaded one, keeping the chain check and the memory bound. */
    private void insertAtTop(List<AuditEvent> ascending) {
        if (ascending.isEmpty()) {
            return;
        }
        chain.newerArrived(model.newest(), ascending);
        List<AuditEvent> newestFirst = new ArrayList<>(ascending);
        Collections.reverse(newestFirst);
        model.events.addAll(0, newestFirst);
        int excess = model.events.size() - TimelineModel.LIVE_CAP;
        if (excess > 0) {
            model.events.remove(model.events.size() - excess, model.events.size());
            model.hasMore.set(true);
        }
        model.loadedCheck.set(chain.state(model.events));
    }

    /** Shows the events that arrived while paused and goes back to the top, following again. */
    void jumpToLatest() {
        if (model.anchorSeq.get() > 0) {
            // the events above an anchored page are not loaded: load the newest page instead
            model.anchorSeq.set(0);
            model.pending.clear();
            model.pendingCount.set(0);
            model.followWanted.set(true);
            reloadNewest.run();
            return;
        }
        List<AuditEvent> arrived = new ArrayList<>(model.pending);
        model.pending.clear();
        model.pendingCount.set(0);
        if (!model.events.isEmpty()) {
            table.scrollTo(0);
        }
        model.atTop.set(true);
        insertAtTop(arrived);
        if (!model.events.isEmpty()) {
            table.scrollTo(0);
        }
        if (!model.followWanted.get()) {
            model.followWanted.set(true);
        }
    }

    /** Selects the anchored event in the page loaded around it, a few rows from the top. */
    private void selectAnchor() {
        long seq = model.anchorSeq.get();
        for (int i = 0; i < model.events.size(); i++) {
            if (model.events.get(i).seq() == seq) {
                table.getSelectionModel().clearAndSelect(i);
                table.scrollTo(Math.max(0, i - 3));
                return;
            }
        }
        table.scrollTo(0);
    }

    private void attachFlow() {
        if (table.getSkin() == null) {
            return;
        }
        Node found = table.lookup(".virtual-flow");
        if (found instanceof VirtualFlow<?> f && f != flow) {
            flow = f;
            flow.positionProperty().addListener((o, was, now) -> scrolled());
        }
    }

    /** The person scrolled (or rows changed): follow only at the top; load the next page near the end. */
    private void scrolled() {
        if (flow == null) {
            attachFlow();
            if (flow == null) {
                return;
            }
        }
        // the position, not the first visible cell: cells are laid out a pulse later than a scrollTo
        boolean top = model.events.isEmpty() || flow.getPosition() <= 0.0;
        if (top != model.atTop.get()) {
            model.atTop.set(top);
            if (top && model.followWanted.get() && !model.pending.isEmpty()) {
                jumpToLatest();
            }
        }
        IndexedCell<?> last = flow.getLastVisibleCell();
        if (last != null && last.getIndex() >= model.events.size() - PREFETCH_ROWS) {
            loadMore.run();
        }
    }
}
