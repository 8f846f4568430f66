import { html, query, raw } from './html';

describe('html', () => {
  it('should escape interpolated text and keep nested templates', () => {
    const name = '<script>alert("x")</script>&\'';
    const inner = html`<b>${name}</b>`;
    expect(html`<p title="${name}">${inner}${[1, raw('<br>'), null, false]}</p>`.value).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;"><b>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;</b>1<br></p>',
    );
  });

  it('should build a query string of the non-empty values only', () => {
    expect(query({ a: '甲 乙', b: '', c: undefined, d: 2 })).toBe('?a=%E7%94%B2+%E4%B9%99&d=2');
    expect(query({ a: '' })).toBe('');
  });
});
