// The chart webview entry; drawn with lightweight-charts.
export {};
