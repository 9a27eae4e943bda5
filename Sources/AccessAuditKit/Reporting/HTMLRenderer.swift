/// One self-contained HTML file that works offline and stays fast at any size.
///
/// Triage first: the verdict banner (PASS/FAIL, `--fail-on`, new / persisting / waived counts),
/// the configuration and not-checked statements, then where the findings come from: by severity,
/// by rule × organisation type, by organisation (top 20) and by the person who granted or
/// approved (top 20). Every count is a link whose URL fragment filters the table
/// (`report.html#rule=level-exceeds-policy&by=jsmith`), so a filtered view can be sent on.
///
/// The findings are not HTML rows: they are one JSON array of arrays in a
/// `<script type="application/json">` element (repeated strings once, in a string table), and a
/// small inline script draws one page of 100 rows at a time, sorted (numbers as numbers, times
/// as times) and filtered in the browser. No external resources; every database value is shown
/// through `Escaping.terminal` and either `Escaping.html` (markup) or `Escaping.scriptJSONString`
/// (data, drawn with `textContent`).
public struct HTMLRenderer: ReportRenderer {
    public init() {}

    /// Rows drawn per page.
    package static let pageSize = 100

    public func render(_ report: AuditReport, context: RenderContext, to sink: inout ReportSink) throws {
        let h = Escaping.html
        let triage = Triage(report, context: context)
        try sink.append("""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>access-audit \(h(report.command)): \(h(report.database))</title>
            <style>\(HTMLRenderer.style)</style></head><body>
            <header><h1>access-audit \(h(report.command))</h1>
            <p class="meta"><b>\(h(report.database))</b> at \(report.now): \(report.accounts) accounts, \(report.grants) grants, \
            <b id="total">\(report.findings.count)</b> findings.</p>

            """)
        if let metadata = report.metadata { try sink.append("<p class=\"meta\"><small>\(h(metadata.summary))</small></p>\n") }
        try sink.append(HTMLRenderer.verdict(triage, context: context) + "</header>\n<main>\n")
        for statement in report.statements { try sink.append("<p class=\"note\">\(h(statement))</p>\n") }
        try sink.append(HTMLRenderer.summaries(report, triage))
        try sink.append(HTMLRenderer.tableStart)
        try HTMLFindingsData.write(report.findings, now: report.now, to: &sink)
        try sink.append("<script>\(HTMLRenderer.script)</script>\n</main></body></html>\n")
    }

    /// `<a href="#k=v&…">text</a>`: a link that sets the table's filters.
    static func link(_ filters: [(String, String)], _ text: String, label: String? = nil) -> String {
        let fragment = filters.map { "\($0.0)=\(Escaping.fragmentValue(Escaping.terminal($0.1)))" }.joined(separator: "&")
        return "<a href=\"#\(Escaping.html(fragment))\"\(label.map { " aria-label=\"\(Escaping.html($0))\"" } ?? "")>\(text)</a>"
    }

    /// The verdict banner.
    static func verdict(_ triage: Triage, context: RenderContext) -> String {
        let failOn = "--fail-on \(context.failOn.rawValue)" + (context.onlyNew ? " --fail-on-new" : "")
        let why =
            triage.verdict == "fail"
            ? link([("fail", "1")], "\(triage.failing) finding\(triage.failing == 1 ? "" : "s")") + " at or above the threshold"
            : "no finding at or above the threshold"
        var counts: [String] = []
        if let new = triage.new, let persisting = triage.persisting, let resolved = triage.resolved {
            counts += [
                link([("chg", "new")], "\(new)") + " new", link([("chg", "persisting")], "\(persisting)") + " persisting",
                "\(resolved) resolved since the baseline",
            ]
        }
        if let waived = triage.waived, let expired = triage.expired {
            counts += [link([("w", "waived")], "\(waived)") + " waived", link([("w", "expired")], "\(expired)") + " waiver expired"]
        }
        return "<p id=\"verdict\" class=\"verdict \(triage.verdict)\"><b>\(triage.verdict.uppercased())</b> \(failOn): \(why)"
            + (counts.isEmpty ? "" : " · " + counts.joined(separator: " · ")) + "</p>\n"
    }

    /// Severity cards and the summary tables; every count links to a filter.
    static func summaries(_ report: AuditReport, _ triage: Triage) -> String {
        let h = Escaping.html
        var out = "<nav class=\"cards\" aria-label=\"Findings by severity\">\n"
        for (severity, count) in report.findingsBySeverity {
            out += link([("sev", severity.rawValue)], "<span>\(count)</span>\(severity.rawValue)", label: "\(count) \(severity.rawValue)")
                .replacingOccurrences(of: "<a ", with: "<a class=\"card \(severity.rawValue)\" ") + "\n"
        }
        out += "<a class=\"card all\" href=\"#\"><span>\(report.findings.count)</span>all</a>\n</nav>\n"
        guard !report.findings.isEmpty else { return out + "<p>No findings.</p>\n" }
        let types = Array(triage.orgTypes.prefix(8))
        let typeName = { (type: String) in type.isEmpty ? "(none)" : h(type) }
        out += "<section class=\"summary\"><h2 id=\"by-rule\">By rule and organisation type</h2>\n<div class=\"wide\"><table class=\"small\">"
        out += "<thead><tr><th scope=\"col\">rule</th><th scope=\"col\">all</th>"
            + types.map { "<th scope=\"col\">\(typeName($0.type))</th>" }.joined() + "</tr></thead><tbody>\n"
        for (rule, count) in triage.rules {
            out += "<tr><th scope=\"row\">\(h(rule))</th><td class=\"n\">\(link([("rule", rule)], "\(count)"))</td>"
            for (type, _) in types {
                let cell = triage.byRuleAndType[rule]?[type] ?? 0
                out += "<td class=\"n\">" + (cell == 0 ? "·" : link([("rule", rule), ("type", type)], "\(cell)")) + "</td>"
            }
            out += "</tr>\n"
        }
        out += "<tr class=\"total\"><th scope=\"row\">all</th><td class=\"n\">\(link([], "\(report.findings.count)"))</td>"
            + types.map { "<td class=\"n\">\(link([("type", $0.type)], "\($0.count)"))</td>" }.joined() + "</tr>\n</tbody></table></div>"
        if triage.orgTypes.count > types.count {
            out += "<p><small>\(triage.orgTypes.count - types.count) more organisation types not shown.</small></p>"
        }
        out += "</section>\n<div class=\"columns\">"
        out += "<section class=\"summary\"><h2 id=\"by-org\">By organisation (top \(triage.organisations.count))</h2>\n"
            + "<table class=\"small\"><thead><tr><th scope=\"col\">organisation</th><th scope=\"col\">type</th><th scope=\"col\">findings</th></tr></thead><tbody>\n"
        for org in triage.organisations {
            out += "<tr><th scope=\"row\">\(h(org.id)) \(h(org.name))</th><td>\(typeName(org.type))</td>"
                + "<td class=\"n\">\(link([("org", org.id)], "\(org.count)"))</td></tr>\n"
        }
        out += "</tbody></table></section>\n"
        out += "<section class=\"summary\"><h2 id=\"by-person\">By person who granted or approved (top \(triage.people.count))</h2>\n"
            + "<table class=\"small\"><thead><tr><th scope=\"col\">person</th><th scope=\"col\">granted</th><th scope=\"col\">approved</th></tr></thead><tbody>\n"
        for person in triage.people {
            out += "<tr><th scope=\"row\">\(h(person.person))</th>"
                + "<td class=\"n\">\(person.granted == 0 ? "·" : link([("by", person.person)], "\(person.granted)"))</td>"
                + "<td class=\"n\">\(person.approved == 0 ? "·" : link([("appr", person.person)], "\(person.approved)"))</td></tr>\n"
        }
        return out + "</tbody></table></section></div>\n"
    }

    static let columns = [
        "severity", "rule", "account", "username", "grant", "organisation", "org type", "level", "granted by", "granted at",
        "approved by", "finding",
    ]

    static var tableStart: String {
        """
        <section aria-labelledby="findings-title"><h2 id="findings-title">Findings</h2>
        <form class="filters" role="search" onsubmit="return false">
        <label>Search <input id="q" type="search" placeholder="account, organisation, level, person…"></label>
        <label>Severity <select id="sev"><option value="">every severity</option>\
        \(Severity.allCases.reversed().map { "<option>\($0.rawValue)</option>" }.joined())</select></label>
        <label>Rule <select id="rule"><option value="">every rule</option>\
        \(RuleRegistry.ids.map { "<option>\($0)</option>" }.joined())</select></label>
        <button type="button" id="clear">Clear filters</button></form>
        <p id="active" class="active"></p>
        <p class="pager"><button type="button" data-page="first">« first</button> <button type="button" data-page="prev">‹ previous</button> \
        <span id="shown" aria-live="polite"></span> <button type="button" data-page="next">next ›</button> <button type="button" data-page="last">last »</button></p>
        <table id="findings"><caption class="sr">Findings, one page at a time; the column buttons sort</caption>
        <colgroup><col class="c-sev"><col class="c-rule"><col class="c-id"><col class="c-id"><col class="c-grant"><col class="c-org">\
        <col class="c-type"><col class="c-level"><col class="c-id"><col class="c-time"><col class="c-id"><col class="c-msg"></colgroup>
        <thead><tr>\(columns.enumerated().map { "<th scope=\"col\" aria-sort=\"none\"><button type=\"button\" data-col=\"\($0.offset)\">\($0.element)</button></th>" }.joined())</tr></thead>
        <tbody></tbody></table></section>

        """
    }

    static let style = """
        body{font:14px/1.4 system-ui,sans-serif;margin:16px 24px;color:#1b1b1b}h1{margin:0 0 4px}h2{font-size:16px;margin:20px 0 8px}
        a{color:#0b57d0}:focus-visible{outline:3px solid #0b57d0;outline-offset:2px}
        .meta,.note{color:#444}.note{background:#fff8e1;padding:6px 10px;border-left:3px solid #f0b400;margin:4px 0}
        .verdict{font-size:16px;padding:10px 14px;border-radius:6px;margin:8px 0}.verdict b{font-size:20px;margin-right:8px}
        .verdict.fail{background:#fde7e9;border:2px solid #b00020}.verdict.pass{background:#e6f4ea;border:2px solid #1e7e34}
        .cards{display:flex;gap:8px;flex-wrap:wrap;margin:12px 0}.card{border:1px solid #bbb;border-radius:6px;padding:6px 14px;background:#fafafa;color:inherit;text-decoration:none}
        .card span{display:block;font-size:22px;font-weight:700}.card.critical{border-left:6px solid #b00020}.card.high{border-left:6px solid #e65100}
        .card.medium{border-left:6px solid #f0b400}.card.low{border-left:6px solid #00838f}.card.info{border-left:6px solid #9e9e9e}
        .columns{display:flex;gap:32px;flex-wrap:wrap}.wide{max-width:100%;overflow-x:auto}
        table{border-collapse:collapse}th,td{border-bottom:1px solid #e0e0e0;padding:3px 6px;text-align:left;vertical-align:top}
        .small th[scope=row]{font-weight:400}.small thead th{background:#f3f3f3}td.n{text-align:right}tr.total th,tr.total td{border-top:2px solid #999}
        #findings{width:100%;table-layout:fixed}#findings td,#findings th{overflow-wrap:anywhere}
        #findings thead th{background:#f3f3f3;position:sticky;top:0;padding:0}
        #findings thead button{font:inherit;font-weight:700;border:0;background:none;padding:4px 6px;width:100%;text-align:left;cursor:pointer;color:inherit}
        th[aria-sort=ascending] button::after{content:" ▲"}th[aria-sort=descending] button::after{content:" ▼"}
        .c-sev{width:6%}.c-rule{width:10%}.c-id{width:7%}.c-grant{width:5%}.c-org{width:10%}.c-type{width:7%}.c-level{width:6%}.c-time{width:8%}.c-msg{width:27%}
        td.sev{font-weight:700}tr.critical td.sev{background:#b00020;color:#fff}tr.high td.sev{background:#c43e00;color:#fff}tr.medium td.sev{background:#f0b400}
        tr.low td.sev{background:#b2ebf2}tr.info td.sev{background:#eee}.filters{margin:8px 0;display:flex;gap:12px;align-items:center;flex-wrap:wrap}
        #q{min-width:280px;padding:4px}.pager button,#clear{font:inherit;padding:2px 10px}.active{margin:4px 0;color:#444}
        .new{background:#1b1b1b;color:#fff;padding:0 4px;border-radius:3px;margin-right:4px}.waiver{margin:0 0 4px;padding:2px 6px;background:#e8f5e9}.action{margin:2px 0 0;color:#1e4620}.open{margin:0 0 2px;color:#555;font-size:12px}
        details{margin-top:4px}dl{display:grid;grid-template-columns:max-content auto;gap:0 10px;margin:4px 0}dt{color:#555}dd{margin:0}
        .sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
        @media print{body{margin:0;font-size:10px}.filters,.pager button,#clear{display:none}a{color:inherit;text-decoration:none}
        #findings thead th{position:static}details{display:none}tr{break-inside:avoid}.wide{overflow:visible}}
        """

    /// The page's script: reads the data (fields in `HTMLFindingsData`), filters and sorts it as
    /// the URL fragment says, draws one page of rows, and marks the root element `data-ready`
    /// (with `data-first-screen-ms`) when the first screen is drawn.
    static let script = """
        (function(){'use strict';
        var S=JSON.parse(document.getElementById('aa-strings').textContent),R=JSON.parse(document.getElementById('aa-findings').textContent);
        var SEV=['info','low','medium','high','critical'],CHG=['','new','persisting','new'],WAI=['','waived','expired'];
        function v(x){return typeof x==='number'?S[x]:(x===undefined?'':x);}
        function g(r){return String(r[4]);}
        function f(r,i){return i===4?g(r):v(r[i]);}
        function rest(r){var x=r[16];if(!x)return [];var l=S[x[0]].split(' '),o=[];for(var i=0;i<l.length;i++)o.push([l[i],S[x[i+1]]]);return o;}
        function vals(r){var o=[];for(var i=2;i<14;i++)o.push(f(r,i));rest(r).forEach(function(p){o.push(p[1]);});return o;}
        function expand(r,i){var t=S[r[i]],x=null;return t.replace(/[\\x01-\\x1f]/g,function(c){x=x||vals(r);var k=c.charCodeAt(0)-1;return k<x.length?x[k]:c;});}
        function key(r){var k=r[17]||0,p=v(r[1])+':';return k===0?p+'grant:'+g(r):k===1?p+'account:'+v(r[2]):p+k;}
        var FILTERS={sev:function(r){return SEV[r[0]];},rule:function(r){return v(r[1]);},type:function(r){return v(r[7]);},
        org:function(r){return v(r[5]);},by:function(r){return v(r[11]);},appr:function(r){return v(r[13]);},
        chg:function(r){return CHG[r[18]||0];},w:function(r){return WAI[r[20]||0];},fail:function(r){return FAIL(r)?'1':'0';}};
        var NAMES={sev:'severity',rule:'rule',type:'org type',org:'organisation',by:'granted by',appr:'approved by',chg:'baseline',w:'waiver',fail:'deciding the verdict',q:'search'};
        var VT=document.getElementById('verdict').textContent,T=VT.match(/--fail-on (\\w+)/),NEWONLY=/--fail-on-new/.test(VT);
        var TH=T?SEV.indexOf(T[1]):-1;function FAIL(r){return TH>=0&&r[0]>=TH&&r[20]!==1&&(!NEWONLY||r[18]===1||r[18]===3);}
        function nat(s){return s.toLowerCase().replace(/\\d+/g,function(d){return ('0000000000000000000'+d).slice(-20);});}
        function num(s){var n=Number(s);return s===''||isNaN(n)?null:n;}
        function time(s){var n=Date.parse(s);return isNaN(n)?null:n;}
        var COLS=[function(r){return r[0];},function(r){return v(r[1]);},function(r){return nat(v(r[2]));},function(r){return nat(v(r[3]));},
        function(r){return num(g(r));},function(r){return nat(v(r[5]));},function(r){return v(r[7]);},function(r){return v(r[8]);},
        function(r){return nat(v(r[11]));},function(r){return time(v(r[12]));},function(r){return nat(v(r[13]));},function(r){return expand(r,14);}];
        var $=function(id){return document.getElementById(id);},tb=$('findings').tBodies[0],heads=$('findings').tHead.rows[0].cells;
        var st={},order=null,orderKey='',view=[],hay=null,PAGE=\(pageSize);
        function parse(){var h=location.hash.slice(1),o={};if(h&&h.indexOf('=')<0){o.sev=h;return o;}
        h.split('&').forEach(function(p){if(!p)return;var i=p.indexOf('=');if(i<0)return;try{o[decodeURIComponent(p.slice(0,i))]=decodeURIComponent(p.slice(i+1));}catch(e){}});return o;}
        function write(){var p=[];Object.keys(st).forEach(function(k){p.push(encodeURIComponent(k)+'='+encodeURIComponent(st[k]));});
        history.replaceState(null,'',p.length?'#'+p.join('&'):location.pathname+location.search);}
        function text(r){var a=[SEV[r[0]]];for(var i=1;i<14;i++)a.push(f(r,i));a.push(expand(r,14));return a.join(' ').toLowerCase();}
        function compute(){var sort=st.sort===undefined?-1:+st.sort,dir=st.dir==='-1'?-1:1,k=sort+':'+dir;
        if(orderKey!==k){order=R.map(function(_,i){return i;});if(sort>=0&&COLS[sort]){var K=R.map(COLS[sort]);
        order.sort(function(a,b){var x=K[a],y=K[b];if(x===y)return a-b;if(x===null)return 1;if(y===null)return -1;return (x<y?-1:1)*dir;});}orderKey=k;}
        var keys=Object.keys(FILTERS).filter(function(k){return k in st;}),q=(st.q||'').toLowerCase();
        if(q&&!hay)hay=R.map(text);
        view=order.filter(function(i){var r=R[i];for(var j=0;j<keys.length;j++)if(FILTERS[keys[j]](r)!==st[keys[j]])return false;
        return !q||hay[i].indexOf(q)>=0;});}
        function el(n,t,cls){var e=document.createElement(n);if(cls)e.className=cls;if(t!==undefined)e.textContent=t;return e;}
        function row(r){var tr=el('tr',undefined,SEV[r[0]]),c=function(t,cls){return tr.appendChild(el('td',t,cls));};c(SEV[r[0]],'sev');
        for(var i=1;i<5;i++)c(f(r,i));c((v(r[5])+' '+v(r[6])).trim());c(v(r[7]));c(v(r[8]));c(v(r[11]));c(v(r[12]));c(v(r[13]));var m=c();
        if(r[18]===1||r[18]===3)m.appendChild(el('b','NEW','new'));if(r[18]===3)m.appendChild(document.createTextNode('(subject changed) '));if(r[21])m.appendChild(el('p',v(r[21]),'open'));if(r[19])m.appendChild(el('p',v(r[19]),'waiver'));
        m.appendChild(document.createTextNode(expand(r,14)));m.appendChild(el('p','→ '+expand(r,15),'action'));
        var d=el('details'),dl=el('dl');d.appendChild(el('summary','evidence'));
        function item(l,x){if(x==='')return;dl.appendChild(el('dt',l));dl.appendChild(el('dd',x));}
        item('expected',v(r[9]));item('found',v(r[10]));rest(r).forEach(function(p){item(p[0],p[1]);});item('key',key(r));d.appendChild(dl);m.appendChild(d);return tr;}
        function draw(all){var last=Math.max(0,Math.ceil(view.length/PAGE)-1),page=Math.max(0,Math.min(+(st.page||0)||0,last)),from=all?0:page*PAGE,to=all?Math.min(view.length,all):Math.min(view.length,from+PAGE);
        var fr=document.createDocumentFragment();for(var i=from;i<to;i++)fr.appendChild(row(R[view[i]]));tb.replaceChildren(fr);
        $('shown').textContent=(view.length?'rows '+(from+1)+'–'+to+' of ':'')+view.length+' shown'+(view.length!==R.length?' (of '+R.length+')':'');
        for(var c=0;c<heads.length;c++)heads[c].setAttribute('aria-sort',String(c)===st.sort?(st.dir==='-1'?'descending':'ascending'):'none');
        var act=Object.keys(st).filter(function(k){return k in NAMES;}).map(function(k){return NAMES[k]+' = '+(st[k]===''?'(none)':st[k]);});
        $('active').textContent=act.length?'Filtered by '+act.join(', '):'';$('q').value=st.q||'';$('sev').value=st.sev||'';$('rule').value=st.rule||'';
        document.querySelectorAll('.pager button').forEach(function(b){var p=b.dataset.page;b.disabled=(p==='first'||p==='prev')?page===0:page>=last;});}
        function update(){compute();draw();}
        function set(k,x){if(x===''||x===undefined)delete st[k];else st[k]=x;delete st.page;write();update();}
        window.addEventListener('hashchange',function(){st=parse();update();});
        $('q').addEventListener('input',function(){set('q',$('q').value);});
        $('sev').addEventListener('change',function(){set('sev',$('sev').value);});$('rule').addEventListener('change',function(){set('rule',$('rule').value);});
        $('clear').addEventListener('click',function(){var s=st.sort,d=st.dir;st={};if(s!==undefined){st.sort=s;st.dir=d;}write();update();});
        Array.prototype.forEach.call(heads,function(th,c){th.firstChild.addEventListener('click',function(){
        st.dir=st.sort===String(c)&&st.dir!=='-1'?'-1':'1';st.sort=String(c);delete st.page;write();update();});});
        document.querySelectorAll('.pager button').forEach(function(b){b.addEventListener('click',function(){var p=+(st.page||0),last=Math.max(0,Math.ceil(view.length/PAGE)-1);
        p=b.dataset.page==='first'?0:b.dataset.page==='prev'?p-1:b.dataset.page==='next'?p+1:last;st.page=String(Math.max(0,Math.min(p,last)));write();draw();});});
        window.addEventListener('beforeprint',function(){draw(5000);});window.addEventListener('afterprint',function(){draw();});
        st=parse();update();document.documentElement.setAttribute('data-first-screen-ms',String(Math.round(performance.now())));
        document.documentElement.setAttribute('data-ready','1');})();
        """
}
