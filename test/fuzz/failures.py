"""Prints the failing checks of a schemathesis NDJSON event file with each request and response (a debugging aid: python3 test/fuzz/failures.py <events.ndjson>)."""
import base64, json, sys

seen = set()
for line in open(sys.argv[1]):
    event = json.loads(line)
    scenario = event.get('ScenarioFinished')
    if not scenario:
        continue
    recorder = scenario['recorder']
    for case_id, checks in recorder.get('checks', {}).items():
        for check in checks:
            if check['status'] != 'failure':
                continue
            failure = check['failure_info']['failure']
            key = (failure['operation'], check['name'], failure['title'])
            if key in seen and '--all' not in sys.argv:
                continue
            seen.add(key)
            interaction = recorder['interactions'].get(case_id, {})
            request = interaction.get('request', {})
            response = interaction.get('response') or {}
            body = request.get('body')
            sent = base64.b64decode(body['$base64'])[:400] if body else b''
            content = response.get('content') or {}
            answered = base64.b64decode(content.get('$base64') or '')[:400]
            headers = {k: v for k, v in request.get('headers', {}).items() if k != 'Authorization'}
            print(f"{failure['code']} {failure['operation']} [{check['name']}] {failure['title']}: {failure['message'][:300]!r}")
            print(f"   {request.get('method')} {request.get('uri')} {headers} {sent!r}")
            print(f"   -> {response.get('status_code')} {answered!r}")
