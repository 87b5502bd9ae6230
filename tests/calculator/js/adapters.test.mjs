// The calculator's file import refuses what `ceportal hours` refuses before reading
// (issue 24, item 6): UTF-16 and invalid UTF-8, with the CLI's message
// (tests/hardening/test_inputs.py holds the CLI to the same text).
import { test } from "node:test";
import assert from "node:assert/strict";

import { NOT_UTF8, readFile } from "../../../generator/browser/web/adapters.js";

const quote = (name) => name;
const file = (bytes) => new File([new Uint8Array(bytes)], "r.json");
const ascii = (text) => [...text].map((c) => c.charCodeAt(0));

test("UTF-8, with or without its byte order mark, is read", async () => {
  assert.deepEqual(await readFile(file(ascii('{"a": 1}')), quote), { text: '{"a": 1}' });
  assert.deepEqual(await readFile(file([0xef, 0xbb, 0xbf, ...ascii("{}")]), quote), { text: "{}" });
  const chinese = new TextEncoder().encode('{"姓名": "张三"}');
  assert.deepEqual(await readFile(file(chinese), quote), { text: '{"姓名": "张三"}' });
});

test("UTF-16 and invalid UTF-8 are refused as the CLI refuses them", async () => {
  assert.equal(NOT_UTF8, "请求文件不是 UTF-8 编码：请另存为 UTF-8");
  const utf16 = [0xff, 0xfe, ...ascii("{}").flatMap((c) => [c, 0])];
  assert.deepEqual(await readFile(file(utf16), quote), { problem: NOT_UTF8 });
  assert.deepEqual(await readFile(file([0xfe, 0xff, 0, 0x7b, 0, 0x7d]), quote), { problem: NOT_UTF8 });
  assert.deepEqual(await readFile(file([...ascii('{"a": "'), 0xc3, 0x28, ...ascii('"}')]), quote),
                   { problem: NOT_UTF8 });
});
