namespace CalendarConnect.Backend.McpServer;

/// <summary>
/// GET /customers/calendar-status/changes answer: the changes after the cursor asked with, in seq order; <see cref="Cursor"/>
/// to ask with next; <see cref="HasMore"/> when more follow at once; <see cref="FeedId"/> and <see cref="LastSeq"/> say
/// whether the feed is still the one the cursor belongs to.
/// </summary>
public sealed record CalendarStatusChanges(string FeedId, CalendarStatusChange[] Changes, long Cursor, bool HasMore, long LastSeq);
