using CalendarConnect.Benchmark.Load;

namespace CalendarConnect.Benchmark.Tests;

public sealed class LoadTests
{
    [Fact]
    public void Wrks_result_line_becomes_figures()
    {
        var result = Wrk.Parse("""
            {"requests":1500,"duration_us":10000000,"p50_us":2300,"p99_us":12500,"max_us":40000,"status_errors":2,"connect_errors":0,
             "read_errors":1,"write_errors":0,"timeouts":3,"tool_errors":7,"issued":1550,"codes":{"slot_taken":5,"calendar_unavailable":2}}
            """);

        Assert.Equal(150, result.CallsPerSecond);
        Assert.Equal(2.3, result.P50Ms);
        Assert.Equal(12.5, result.P99Ms);
        Assert.Equal(6, result.HttpErrors);
        Assert.Equal(7, result.ToolErrors);
        Assert.Equal(1550, result.Issued);
        Assert.Equal(5, result.Code("slot_taken"));
        Assert.Equal(0, result.Code("not_connected"));
    }

    [Fact]
    public void The_lua_script_carries_headers_and_requests_verbatim()
    {
        var plan = new CyclePlan("POST", "/mcp", new Dictionary<string, string> { ["Authorization"] = "Bearer k" },
            [("c-1", """{"a":"]==]"}"""), (null, null)]);

        var script = Wrk.Script(plan);

        Assert.Contains("bench_method = [==[POST]==]", script);
        Assert.Contains("[ [==[Authorization]==] ] = [==[Bearer k]==]", script);
        // A body holding the closing bracket of the default level is quoted one level higher.
        Assert.Contains("""{[==[c-1]==], [===[{"a":"]==]"}]===]},""", script);
        Assert.Contains("{[==[]==], [==[]==]},", script);
        Assert.Contains("function done(summary, latency, requests)", script);
    }

    [Fact]
    public void A_booking_plan_names_its_companies_starts_and_first_index()
    {
        var plan = new BookingPlan("/mcp", new Dictionary<string, string>(), ["a", "b"], ["2026-03-02T09:00:00-03:00"], 42, "run-1");

        var script = Wrk.Script(plan);

        Assert.Equal(2, plan.Capacity);
        Assert.Contains("bench_mode = \"book\"", script);
        Assert.Contains("bench_customers = {[==[a]==], [==[b]==]}", script);
        Assert.Contains("bench_base = 42", script);
        Assert.Contains("bench_run = [==[run-1]==]", script);
    }

    [Fact]
    public void Tool_answers_are_read_from_server_sent_events()
    {
        var answer = McpCaller.Parse(TimeSpan.FromMilliseconds(3), 200, """
            event: message
            data: {"result":{"content":[{"type":"text","text":"Ese horario ya está ocupado."}],"isError":true,"_meta":{"calendarconnect/error_code":"slot_taken"}},"id":1,"jsonrpc":"2.0"}

            """);

        Assert.True(answer.IsError);
        Assert.False(answer.Ok);
        Assert.Equal("slot_taken", answer.ErrorCode);
        Assert.Equal("Ese horario ya está ocupado.", answer.Text);
    }

    [Fact]
    public void A_successful_answer_keeps_its_structured_content()
    {
        var answer = McpCaller.Parse(TimeSpan.Zero, 200,
            """{"result":{"content":[{"type":"text","text":"{}"}],"structuredContent":{"slots":[{"start":"x"}]}},"id":1,"jsonrpc":"2.0"}""");

        Assert.True(answer.Ok);
        Assert.Equal("x", answer.Structured!.Value.GetProperty("slots")[0].GetProperty("start").GetString());
    }

    [Fact]
    public void A_protocol_error_or_an_empty_body_is_an_error()
    {
        Assert.Equal("jsonrpc_error", McpCaller.Parse(TimeSpan.Zero, 200, """{"error":{"code":-32602,"message":"bad"},"id":1,"jsonrpc":"2.0"}""").ErrorCode);
        Assert.Equal("no_answer", McpCaller.Parse(TimeSpan.Zero, 401, "").ErrorCode);
        Assert.False(McpCaller.Parse(TimeSpan.Zero, 500, "{\"result\":{\"content\":[]}}").Ok);
    }
}
